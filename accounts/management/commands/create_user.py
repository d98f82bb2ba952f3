import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from accounts.models import Tenant, User
from accounts.policy import validate_login_id
from accounts.people.services import user_create

from .create_tenant import _one_line, refuse_nul


class Command(BaseCommand):
    help = ("ユーザーを作成し、仮パスワードを一度だけ表示します。"
            "Creates a user and prints a temporary password once.")

    def add_arguments(self, parser):
        parser.add_argument("login_id")
        parser.add_argument("--tenant", required=True, help="会社コード")
        parser.add_argument("--name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--admin", action="store_true", help="会社管理者にする")
        parser.add_argument("--password-stdin", action="store_true",
                            help="標準入力から通常のパスワードを読む (for automation)")

    def handle(self, login_id, tenant, name, email, admin, password_stdin, **options):
        refuse_nul(login_id, tenant, name, email)
        try:
            validate_login_id(login_id)
        except ValidationError as error:
            raise CommandError(_one_line(error))
        if User.objects.by_login_id(login_id).exists():
            raise CommandError(_("このログインIDは既に使われているか、よく似たIDが既にあります。"))
        company = Tenant.objects.filter(code=tenant).first()
        if company is None:
            raise CommandError(f"unknown tenant: {tenant}")
        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("no password on standard input")
            try:
                # The same rules as a password the user chooses (length, common, similar to the ID).
                validate_password(password, User(login_id=login_id, name=name, email=email))
            except ValidationError as error:
                raise CommandError(_one_line(error))
        try:
            user, temporary = user_create(login_id=login_id, tenant=company, name=name, email=email,
                                          is_admin=admin, password=password)
        except ValidationError as error:
            raise CommandError(_one_line(error))
        except IntegrityError:  # created concurrently by someone else
            raise CommandError(f"login ID already exists: {login_id}")
        if temporary:
            self.stdout.write(f"created user {user.login_id} temporary password: {temporary}")
        else:
            self.stdout.write(f"created user {user.login_id}")
