from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import Tenant, User
from accounts.services import temporary_password_generate, tenant_create, user_create
from portal.registry import products

DEMO_TENANT = ("demo", "デモ株式会社")
DEMO_USERS = [
    # login ID, name, company administrator, temporary password
    ("A0000001", "管理 太郎", True, False),
    ("A0000002", "佐藤 一郎", False, False),
    ("B0000001", "鈴木 花子", False, False),
    ("B0000002", "高橋 次郎", False, True),
]
OPERATOR = ("A9000001", "運営 担当")


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
            User.objects.filter(login_id=login_id).delete()
            password = None if temporary else temporary_password_generate()
            user, temp = user_create(login_id=login_id, tenant=tenant, name=name, is_admin=admin,
                                     email=f"{login_id.lower()}@example.com", password=password)
            users.append(user)
            rows.append((login_id, name, temp or password,
                         "仮パスワード" if temp else ("会社管理者" if admin else "従業員")))
        User.objects.filter(login_id=OPERATOR[0]).delete()
        operator_password = temporary_password_generate()
        User.objects.create_superuser(OPERATOR[0], operator_password, name=OPERATOR[1])
        rows.append((OPERATOR[0], OPERATOR[1], operator_password, "運営（全テナント）"))

        for product in products():
            if product.seed_demo:
                import_string(product.seed_demo)(tenant=tenant, users=users)

        self.stdout.write(f"demo tenant: {tenant.code} {tenant.name}")
        for login_id, name, password, role in rows:
            self.stdout.write(f"  {login_id}  {password}  {name} ({role})")
        self.stdout.write("A で始まるIDは初回ログイン時に2要素認証を設定します。")
