"""ネット de 就業 — two submissions at the same moment still make one punch (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from attendance.forms import new_punch_token
from attendance.models import Punch
from attendance.services import PunchRefused, punch_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(user, calls):
    """Run punch_record(kind, token) for every call at once, each on its own connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def worker(kind, token):
        try:
            connection.ensure_connection()  # connect first, so the punches really overlap
            barrier.wait()
            result = punch_record(user=user, kind=kind, token=token)
            outcomes.append("created" if result.created else "duplicate")
        except PunchRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_a_concurrent_double_submit_of_one_form_makes_one_punch(on_postgres, employee_b):
    token = new_punch_token()
    for _ in range(3):  # several rounds: the race must be lost every time
        Punch.objects.filter(user=employee_b).delete()
        outcomes = run_together(employee_b, [(Punch.Kind.IN, token)] * 4)
        assert Punch.objects.filter(user=employee_b).count() == 1
        assert outcomes == ["created", "duplicate", "duplicate", "duplicate"]


def test_two_tabs_clocking_in_at_once_make_one_clock_in(on_postgres, employee_b):
    outcomes = run_together(employee_b, [(Punch.Kind.IN, new_punch_token()) for _ in range(4)])
    assert Punch.objects.filter(user=employee_b, kind=Punch.Kind.IN).count() == 1
    assert outcomes == ["created", "refused", "refused", "refused"]


def test_two_tabs_starting_a_break_at_once_make_one_break(on_postgres, employee_b):
    punch_record(user=employee_b, kind=Punch.Kind.IN, token=new_punch_token())
    for _ in range(3):
        Punch.objects.filter(user=employee_b, kind=Punch.Kind.BREAK_START).delete()
        run_together(employee_b, [(Punch.Kind.BREAK_START, new_punch_token()) for _ in range(4)])
        assert Punch.objects.filter(user=employee_b, kind=Punch.Kind.BREAK_START).count() == 1
