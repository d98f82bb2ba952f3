"""Time of a 10,000-employee import (従業員の一括登録), end to end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/netdekomon .venv/bin/python bench/import_employees.py
    .venv/bin/python bench/import_employees.py --rows 10000      # SQLite (a throwaway test database)

Not a test. It builds a throwaway test database (``test_<name>``), a tenant
with one administrator, a CSV of ``--rows`` new employees (every tenth a
company administrator), and times ``employees_import`` with the product's
own PASSWORD_HASHERS (Argon2 first, the temporary-password hasher for the
system-generated passwords), then a second import of the same file with
every name changed and every fifth employee 退職.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netdekomon.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(rows: int):
    from django.db import connection

    from accounts.people.employee_apply import ImportRefused, employees_import
    from accounts.people.services import tenant_create, user_create

    tenant = tenant_create(code="bench-import", name="ベンチ株式会社")
    admin, _ = user_create(login_id="A0000001", tenant=tenant, name="管理", is_admin=True, password="x" * 12)
    header = "ログインID,氏名,メールアドレス,会社管理者,状態\r\n"

    def csv(version: int) -> bytes:
        lines = []
        for i in range(1, rows + 1):
            leaving = version == 2 and i % 5 == 0
            lines.append(f"B{i:07d},従業員 {i} 号{'（改）' if version == 2 else ''},e{i}@example.com,"
                         f"{'○' if i % 10 == 0 else ''},{'退職' if leaving else '在籍'}\r\n")
        return (header + "".join(lines)).encode()

    print(f"database: {connection.vendor}, rows: {rows:,}")
    for version, what in [(1, "new employees"), (2, "renamed, every fifth 退職")]:
        data = csv(version)
        started = time.perf_counter()
        try:
            plan, issued = employees_import(tenant=tenant, actor=admin, data=data, filename="bench.csv")
        except ImportRefused as error:
            sys.exit("refused: " + "; ".join(map(str, error.problems[:5])))
        seconds = time.perf_counter() - started
        print(f"{what:28} {seconds:6.1f} s  {plan.counts()}  passwords issued: {len(issued):,}")


if __name__ == "__main__":
    main()
