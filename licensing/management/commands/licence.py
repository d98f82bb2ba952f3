from django.core.management.base import BaseCommand, CommandError

from accounts.models import Tenant
from licensing.services import licence_set


class Command(BaseCommand):
    help = "会社の製品ライセンス（使用）を設定します。Sets whether a tenant uses a product."

    def add_arguments(self, parser):
        parser.add_argument("tenant_code")
        parser.add_argument("product_code")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--use", dest="in_use", action="store_true")
        group.add_argument("--no-use", dest="in_use", action="store_false")

    def handle(self, tenant_code, product_code, in_use, **options):
        tenant = Tenant.objects.filter(code=tenant_code).first()
        if tenant is None:
            raise CommandError(f"unknown tenant: {tenant_code}")
        try:
            licence_set(tenant=tenant, product_code=product_code, in_use=in_use)
        except LookupError:
            raise CommandError(f"unknown product: {product_code}")
        self.stdout.write(f"{tenant.code} {product_code} {'使用' if in_use else '未使用'}")
