"""ネット de 就業 — the migration that gives existing punches their place in the day."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from attendance.models import TOKYO
from tests import helpers

BEFORE, AFTER = [("attendance", "0003_punch_user_index_in_composites")], [("attendance", "0004_punch_place_in_day")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_existing_punches_are_numbered_per_user_and_work_day_in_time_order():
    tenant = helpers.make_tenant("acme", "アクメ株式会社")
    first, second = (helpers.make_user(login_id, tenant) for login_id in ("B1000001", "B1000002"))
    nine = datetime(2026, 4, 1, 9, tzinfo=TOKYO)
    rows = [  # user, kind, time, work day: inserted out of time order on purpose
        (first, "out", nine + timedelta(hours=9), date(2026, 4, 1)),
        (first, "in", nine, date(2026, 4, 1)),
        (second, "in", nine, date(2026, 4, 1)),
        (first, "break_start", nine + timedelta(hours=3), date(2026, 4, 1)),
        (first, "in", nine + timedelta(days=1), date(2026, 4, 2)),
    ]
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for n, (user, kind, at, day) in enumerate(rows):
                cursor.execute(
                    "INSERT INTO attendance_punch (user_id, kind, punched_at, work_date, source, token, created_at)"
                    " VALUES (%s, %s, %s, %s, 'button', %s, %s)",
                    [user.pk, kind, connection.ops.adapt_datetimefield_value(at),
                     connection.ops.adapt_datefield_value(day), f"t{n}", connection.ops.adapt_datetimefield_value(at)])
    finally:
        migrate(AFTER)
        call_command("migrate", verbosity=0)  # the rest of the graph (later migrations), for the next tests
    from attendance.models import Punch

    places = {(p.user_id, p.work_date, p.kind): p.seq for p in Punch.objects.all()}
    assert places == {
        (first.pk, date(2026, 4, 1), "in"): 1,
        (first.pk, date(2026, 4, 1), "break_start"): 2,
        (first.pk, date(2026, 4, 1), "out"): 3,
        (second.pk, date(2026, 4, 1), "in"): 1,
        (first.pk, date(2026, 4, 2), "in"): 1,
    }
