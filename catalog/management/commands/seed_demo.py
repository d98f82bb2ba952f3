import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.identity.groups import company_admin_group
from accounts.models import Tenant, User
from accounts.people.services import tenant_create, user_create
from catalog.registry import products

DEMO_TENANT = ("demo", "デモ株式会社")
DEMO_USERS = [
    # login ID, name, company administrator, temporary password
    ("A0000001", "管理 太郎", True, False),
    ("A0000002", "佐藤 一郎", False, False),
    ("B0000001", "鈴木 花子", False, False),
    ("B0000002", "高橋 次郎", False, True),
]
OPERATOR = ("A9000001", "運営 担当")
# The employee master of each demo user: 社員番号, フリガナ, 部署, 役職, 入社日.
DEMO_MASTER = {
    "A0000001": ("0001", "カンリ　タロウ", "総務部", "部長", datetime.date(2010, 4, 1)),
    "A0000002": ("0002", "サトウ　イチロウ", "総務部", "主任", datetime.date(2015, 4, 1)),
    "B0000001": ("1001", "スズキ　ハナコ", "営業部", "", datetime.date(2019, 4, 1)),
    "B0000002": ("1002", "タカハシ　ジロウ", "営業部", "", datetime.date(2024, 10, 1)),
}
MASTER_FIELDS = ("employee_number", "furigana", "department", "job_title", "hired_on")


class Command(BaseCommand):
    help = ("デモ用の会社・ユーザー・製品データを作成し、ログイン情報を表示します。"
            "Builds the demo tenant and prints its logins (passwords are new on every run).")

    @transaction.atomic
    def handle(self, **options):
        tenant = Tenant.objects.filter(code=DEMO_TENANT[0]).first() or tenant_create(
            code=DEMO_TENANT[0], name=DEMO_TENANT[1])
        rows = []
        users = []
        for login_id, name, admin, temporary in DEMO_USERS:
            user, password = _demo_user(login_id, name, tenant=tenant, admin=admin, temporary=temporary)
            users.append(user)
            rows.append((login_id, name, password,
                         "仮パスワード" if temporary else ("会社管理者" if admin else "従業員")))
        operator, password = _demo_user(*OPERATOR, tenant=None, admin=True, temporary=False)
        rows.append((operator.login_id, operator.name, password, "運営（全テナント）"))

        for product in products():
            if product.seed_demo:
                import_string(product.seed_demo)(tenant=tenant, users=users)

        self.stdout.write(f"demo tenant: {tenant.code} {tenant.name}")
        for login_id, name, password, role in rows:
            self.stdout.write(f"  {login_id}  {password}  {name} ({role})")
        self.stdout.write("A で始まるIDは初回ログイン時に2要素認証を設定します。")


def _demo_user(login_id, name, *, tenant, admin, temporary):
    """Create the demo user, or bring an existing one back to its demo state.

    A re-run keeps the user (and a 2FA device set up in an earlier run) and
    only gives it a fresh password, so product data stays attached.
    """
    password = User().set_temporary_password()  # a random password, temporary or not
    user = User.objects.by_login_id(login_id).first()
    if user is None:
        if tenant is None:
            user = User.objects.create_superuser(login_id, password, name=name)
        else:
            user, _ = user_create(login_id=login_id, tenant=tenant, name=name, is_admin=admin,
                                  email=f"{login_id.lower()}@example.com", password=password)
    else:
        user.tenant, user.name, user.is_active = tenant, name, True
        user.is_staff = admin
        user.is_superuser = tenant is None
        user.set_password(password)
        user.save()
        if admin and tenant is not None:
            user.groups.add(company_admin_group())
    for field, value in zip(MASTER_FIELDS, DEMO_MASTER.get(login_id, ("", "", "", "", None))):
        setattr(user, field, value)
    if temporary:
        user.set_temporary_password(password)
    else:
        user.password_is_temporary, user.password_expires_at = False, None
    user.save(update_fields=["password", "password_is_temporary", "password_expires_at", *MASTER_FIELDS])
    return user, password
