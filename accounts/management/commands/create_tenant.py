from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.people.services import tenant_create


class Command(BaseCommand):
    help = "会社（テナント）を作成します。Creates a tenant (client company)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="会社コード (e.g. demo)")
        parser.add_argument("name", help="会社名")
        parser.add_argument("--no-products", action="store_true",
                            help="ライセンスなしで作成する (start with no product in use)")

    def handle(self, code, name, no_products, **options):
        refuse_nul(code, name)
        try:
            tenant = tenant_create(code=code, name=name, with_products=not no_products)
        except ValidationError as error:
            raise CommandError(_one_line(error))
        self.stdout.write(f"created tenant {tenant.code}")


def _one_line(error: ValidationError) -> str:
    """Every message of a validation error on one line, each once."""
    messages = dict.fromkeys(" ".join(str(m).split()) for m in error.messages)
    return " ".join(messages)


def refuse_nul(*values: str) -> None:
    """NUL characters cannot be stored (PostgreSQL refuses them even in a lookup)."""
    if any("\x00" in value for value in values):
        raise CommandError("arguments must not contain NUL characters")
