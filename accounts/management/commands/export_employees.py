from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.people.employee_export import employees_export
from accounts.models import Tenant


class Command(BaseCommand):
    help = ("従業員を一括登録と同じ列で書き出します（.csv は UTF-8 BOM 付き、.xlsx は Excel）。"
            "Exports a company's employees as .csv or .xlsx, chosen by the file name.")

    def add_arguments(self, parser):
        parser.add_argument("tenant", help="会社コード")
        parser.add_argument("file", help="書き出すファイル（.csv または .xlsx）")

    def handle(self, tenant, file, **options):
        company = Tenant.objects.filter(code=tenant).first()
        if company is None:
            raise CommandError(f"unknown tenant: {tenant}")
        fmt = Path(file).suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError("the file name must end in .csv or .xlsx")
        data = employees_export(tenant=company, fmt=fmt)
        try:
            Path(file).write_bytes(data)
        except OSError as error:
            raise CommandError(f"cannot write {file}: {error.strerror}")
        self.stdout.write(f"wrote {file}")
