"""従業員の書き出し: a company's employees in the import's columns, so that the
file can be edited and imported again. Cells a spreadsheet would run as a
formula are written as text (``employee_files.safe_cell`` / string cells)."""

from kit.spreadsheets import write_csv, write_xlsx
from accounts.people.employee_file import ACTIVE, ADMIN_MARK, COLUMNS, LEFT
from accounts.models import Tenant, User

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def employees_rows(tenant: Tenant):
    """One row per employee in ``COLUMNS``' order (入社日 as 2024/04/01)."""
    users = (User.objects.filter(tenant=tenant, is_superuser=False).order_by("login_id")
             .values_list("login_id", "employee_number", "name", "furigana", "email", "department", "job_title",
                          "hired_on", "is_staff", "is_active"))
    for *fields, hired_on, is_staff, is_active in users.iterator(chunk_size=2000):
        yield [*fields, hired_on.strftime("%Y/%m/%d") if hired_on else "", ADMIN_MARK if is_staff else "",
               ACTIVE if is_active else LEFT]


def employees_export(*, tenant: Tenant, fmt: str) -> bytes:
    """The file's bytes; ``fmt`` is "csv" (UTF-8 with BOM) or "xlsx"."""
    if fmt == "xlsx":
        return write_xlsx(COLUMNS, employees_rows(tenant), title="従業員")
    if fmt == "csv":
        return write_csv(COLUMNS, employees_rows(tenant))
    raise ValueError(f"unknown format: {fmt}")
