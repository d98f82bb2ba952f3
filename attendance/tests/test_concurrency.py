"""ネット de 就業 — two submissions at the same moment still make one punch (PostgreSQL).

A punch is one conditional insert in autocommit, no lock: these tests send
punches of one user at once, each on its own connection, and check every
rule on what is stored — 出勤 once a day, no 退勤 before 出勤, breaks in
order, one punch per form token, and every punch reported as recorded is a
row in the database.
"""

import random
import threading
from datetime import timedelta

import pytest
from django.db import connection

from attendance.forms import new_punch_token
from attendance.models import Punch
from attendance.services import PunchRefused, punch_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(user, calls):
    """Run punch_record(kind, token) for every call at once, each on its own connection."""
    return sorted(outcome for outcome, _pk in run_together_with_rows(user, calls))


def run_together_with_rows(user, calls):
    """As run_together, with the id of the punch each call reported (None when refused)."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def worker(kind, token):
        try:
            connection.ensure_connection()  # connect first, so the punches really overlap
            barrier.wait()
            result = punch_record(user=user, kind=kind, token=token)
            outcomes.append(("created" if result.created else "duplicate", result.punch.pk))
        except PunchRefused:
            outcomes.append(("refused", None))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


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


def test_a_break_and_a_clock_out_at_once_after_clocking_in_make_one_punch(on_postgres, employee_b):
    """Both may follow 出勤, but not each other: only one is stored."""
    for _ in range(3):
        Punch.objects.filter(user=employee_b).delete()
        punch_record(user=employee_b, kind=Punch.Kind.IN, token=new_punch_token())
        outcomes = run_together(employee_b, [(kind, new_punch_token()) for kind in
                                             (Punch.Kind.BREAK_START, Punch.Kind.OUT) * 2])
        assert outcomes == ["created", "refused", "refused", "refused"]
        assert Punch.objects.filter(user=employee_b).count() == 2


@pytest.mark.parametrize("before, kind", [
    ([Punch.Kind.IN], Punch.Kind.OUT),
    ([Punch.Kind.IN, Punch.Kind.BREAK_START], Punch.Kind.BREAK_END),
    ([], Punch.Kind.OUT),  # no 退勤 before 出勤, however many tabs press it
])
def test_the_same_button_in_four_tabs_at_once_is_one_punch_or_none(on_postgres, employee_b, before, kind):
    for done in before:
        punch_record(user=employee_b, kind=done, token=new_punch_token())
    outcomes = run_together(employee_b, [(kind, new_punch_token()) for _ in range(4)])
    stored = Punch.objects.filter(user=employee_b, kind=kind).count()
    assert stored == (1 if before else 0)
    assert outcomes.count("created") == stored


def assert_possible_day(user):
    """The day's punches, in place order and in time order, are a day the rules allow."""
    by_place = list(Punch.objects.filter(user=user).order_by("seq").values_list("kind", "seq", "pk"))
    by_time = list(Punch.objects.filter(user=user).order_by("punched_at", "pk").values_list("kind", "seq", "pk"))
    assert by_place == by_time
    assert [seq for _kind, seq, _pk in by_place] == list(range(1, len(by_place) + 1))
    kinds = [kind for kind, _seq, _pk in by_place]
    if kinds:
        assert kinds[0] == Punch.Kind.IN and kinds.count(Punch.Kind.IN) == 1
        assert kinds.count(Punch.Kind.OUT) <= 1 and (Punch.Kind.OUT not in kinds or kinds[-1] == Punch.Kind.OUT)
        breaks = [k for k in kinds if k in (Punch.Kind.BREAK_START, Punch.Kind.BREAK_END)]
        assert breaks == [Punch.Kind.BREAK_START, Punch.Kind.BREAK_END] * (len(breaks) // 2) \
            + [Punch.Kind.BREAK_START] * (len(breaks) % 2)
        assert not (Punch.Kind.OUT in kinds and len(breaks) % 2)


def test_any_mix_of_buttons_and_resent_forms_at_once_stores_a_possible_day(on_postgres, employee_b):
    """Random bursts of four presses (any button, some resending an earlier
    form) from every state of the day: the day stays possible, a form is
    stored once, and every punch reported as recorded is in the database."""
    rng = random.Random(14)
    kinds = list(Punch.Kind)
    for round_ in range(12):
        Punch.objects.filter(user=employee_b).delete()
        tokens = [new_punch_token() for _ in range(3)]
        for burst in range(3):
            calls = [(rng.choice(kinds), rng.choice(tokens) if rng.random() < 0.4 else new_punch_token())
                     for _ in range(4)]
            outcomes = run_together_with_rows(employee_b, calls)
            stored = set(Punch.objects.filter(user=employee_b).values_list("pk", flat=True))
            reported = {pk for outcome, pk in outcomes if outcome != "refused"}
            assert reported <= stored, (round_, burst, calls, outcomes)  # nothing acknowledged that is not stored
            assert_possible_day(employee_b)
        tokens_stored = list(Punch.objects.filter(user=employee_b).values_list("token", flat=True))
        assert len(tokens_stored) == len(set(tokens_stored))


def test_a_correction_approved_while_the_employee_punches_takes_its_own_place(on_postgres, employee_b, admin_a):
    from django.utils import timezone

    from attendance.models import TOKYO, AttendanceRequest, work_date_of
    from attendance.services import request_decide

    today = work_date_of(timezone.now())
    for n in range(3):
        Punch.objects.filter(user=employee_b).delete()
        punch_record(user=employee_b, kind=Punch.Kind.IN, token=new_punch_token())
        item = AttendanceRequest.objects.create(
            user=employee_b, kind=AttendanceRequest.Kind.CORRECTION, start_date=today,
            start_time=(timezone.localtime(timezone.now(), TOKYO) - timedelta(minutes=30 + n)).time(),
            punch_kind=Punch.Kind.BREAK_START, reason="押し忘れ")
        barrier = threading.Barrier(2)

        def decide():
            try:
                connection.ensure_connection()
                barrier.wait()
                assert request_decide(item=item, approve=True, actor=admin_a)
            finally:
                connection.close()

        thread = threading.Thread(target=decide)
        thread.start()
        connection.ensure_connection()
        barrier.wait()
        try:
            punch_record(user=employee_b, kind=Punch.Kind.OUT, token=new_punch_token())
        except PunchRefused:
            pass
        thread.join()
        places = list(Punch.objects.filter(user=employee_b).order_by("seq").values_list("seq", flat=True))
        assert places == list(range(1, len(places) + 1))
        assert Punch.objects.filter(user=employee_b, source=Punch.Source.CORRECTION).count() == 1
