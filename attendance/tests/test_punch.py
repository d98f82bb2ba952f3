"""ネット de 就業 — 打刻: the contract, idempotency, sequences, time zone, query counts."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from attendance.forms import new_punch_token
from attendance.models import TOKYO, Punch
from attendance.services import PunchRefused, punch_record
from tests.helpers import session_full, session_limited

IN, OUT = Punch.Kind.IN, Punch.Kind.OUT
BREAK_START, BREAK_END = Punch.Kind.BREAK_START, Punch.Kind.BREAK_END


def token_from(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def press(client, kind, token=None):
    token = token or token_from(client.get("/attendance/"))
    return client.post("/attendance/", {"kind": kind, "token": token}, follow=True)


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def limited_b(client, employee_b):
    return session_limited(client, employee_b)


def test_punch_page_is_phone_first_with_four_buttons_and_tokyo_time(limited_b):
    response = limited_b.get("/attendance/")
    html = page_text(response)
    for label in ["出勤", "退勤", "休憩開始", "休憩終了"]:
        assert f">{label}</button>" in html
    assert 'name="viewport"' in html
    assert "未出勤" in html
    shown = re.search(r'<time id="server-time" datetime="([^"]+)"', html).group(1)
    assert shown.endswith("+09:00")  # server time, in Asia/Tokyo
    assert abs(datetime.fromisoformat(shown) - timezone.now()) < timedelta(minutes=1)
    # Nothing but 出勤 makes sense before the first punch of the day.
    assert re.search(r'value="in" class="punch-in"\s*>', html)
    assert re.search(r'value="out" class="punch-out secondary"\s*disabled', html)


def test_a_day_of_punches_in_the_limited_mode(limited_b, employee_b):
    for kind, status in [(IN, "勤務中"), (BREAK_START, "休憩中"), (BREAK_END, "勤務中"), (OUT, "退勤済み")]:
        response = press(limited_b, kind)
        assert response.status_code == 200
        assert f"{Punch.Kind(kind).label}を" in page_text(response)
        assert "打刻しました" in page_text(response)
        assert f'id="status">{status}<' in page_text(response)
    assert list(Punch.objects.filter(user=employee_b).order_by("punched_at").values_list("kind", flat=True)) \
        == [IN, BREAK_START, BREAK_END, OUT]
    today = page_text(limited_b.get("/attendance/"))
    assert today.count("<tr><th>") == 4  # today's four punches listed
    assert "本日の打刻は完了しています" in today


def test_the_same_form_posted_twice_records_one_punch(limited_b, employee_b):
    token = token_from(limited_b.get("/attendance/"))
    first = press(limited_b, IN, token)
    second = press(limited_b, IN, token)
    assert Punch.objects.filter(user=employee_b).count() == 1
    assert "打刻しました" in page_text(first)
    assert "既に記録されています" in page_text(second)
    assert "二重には記録されません" in page_text(second)


def test_a_double_click_on_two_buttons_of_one_form_records_only_the_first(limited_b, employee_b):
    token = token_from(limited_b.get("/attendance/"))
    press(limited_b, IN, token)
    press(limited_b, BREAK_START, token)
    assert list(Punch.objects.filter(user=employee_b).values_list("kind", flat=True)) == [IN]


def test_a_resent_form_after_later_punches_is_still_not_recorded_again(limited_b, employee_b):
    token = token_from(limited_b.get("/attendance/"))
    press(limited_b, IN, token)
    press(limited_b, BREAK_START)
    response = press(limited_b, IN, token)  # the browser resends the first form
    assert "既に記録されています" in page_text(response)
    assert Punch.objects.filter(user=employee_b).count() == 2


def test_the_database_refuses_a_second_row_for_one_token(employee_b):
    now = timezone.now()
    Punch.objects.create(user=employee_b, kind=IN, punched_at=now, work_date=now.date(), token="t" * 32)
    with pytest.raises(IntegrityError), transaction.atomic():
        Punch.objects.create(user=employee_b, kind=BREAK_START, punched_at=now, work_date=now.date(),
                             token="t" * 32)


def test_the_database_refuses_a_second_clock_in_on_one_work_day(employee_b):
    now = timezone.now()
    Punch.objects.create(user=employee_b, kind=IN, punched_at=now, work_date=now.date(), token="a" * 32)
    with pytest.raises(IntegrityError), transaction.atomic():
        Punch.objects.create(user=employee_b, kind=IN, punched_at=now, work_date=now.date(), token="b" * 32)


@pytest.mark.parametrize("done, kind, message", [
    ([], OUT, "出勤の打刻がないため、退勤できません"),
    ([], BREAK_START, "出勤の打刻がないため、休憩を開始できません"),
    ([], BREAK_END, "休憩開始の打刻がないため、休憩を終了できません"),
    ([IN], IN, "本日は既に出勤しています"),
    ([IN], BREAK_END, "休憩開始の打刻がないため、休憩を終了できません"),
    ([IN, BREAK_START], BREAK_START, "既に休憩中です"),
    ([IN, BREAK_START], OUT, "先に「休憩終了」を押してから退勤してください"),
    ([IN, OUT], IN, "本日は既に退勤しています"),
    ([IN, OUT], OUT, "本日は既に退勤しています"),
])
def test_impossible_sequences_get_a_clear_message(limited_b, employee_b, done, kind, message):
    for earlier in done:
        press(limited_b, earlier)
    response = press(limited_b, kind)  # a stale page still shows the button
    assert response.status_code == 200
    assert message in page_text(response)
    assert Punch.objects.filter(user=employee_b).count() == len(done)


@pytest.mark.parametrize("data", [
    {"kind": "lunch", "token": "0" * 32},
    {"kind": "in"},
    {"kind": "in", "token": "not-a-token"},
    {},
])
def test_bad_punch_input_is_a_message_not_an_error(limited_b, employee_b, data):
    response = limited_b.post("/attendance/", data, follow=True)
    assert response.status_code == 200
    assert 'class="error"' in page_text(response)
    assert not Punch.objects.filter(user=employee_b).exists()


def test_work_days_are_in_tokyo_time_and_change_at_five(employee_b):
    def at(day, hour, minute=0):
        return datetime(2026, 4, day, hour, minute, tzinfo=TOKYO)

    # 08:30 Tokyo is 23:30 UTC of the day before: still the Tokyo day.
    assert punch_record(user=employee_b, kind=IN, token=new_punch_token(), now=at(1, 8, 30)).punch.work_date.day == 1
    # A night shift: 退勤 at 03:00 closes the day it started.
    punch_record(user=employee_b, kind=OUT, token=new_punch_token(), now=at(2, 3))
    assert Punch.objects.get(user=employee_b, kind=OUT).work_date.day == 1
    # After 05:00 a new work day begins, and with it a new 出勤.
    assert punch_record(user=employee_b, kind=IN, token=new_punch_token(), now=at(2, 8)).created


def test_a_forgotten_clock_out_does_not_block_the_next_day(employee_b):
    punch_record(user=employee_b, kind=IN, token=new_punch_token(), now=datetime(2026, 4, 1, 9, tzinfo=TOKYO))
    result = punch_record(user=employee_b, kind=IN, token=new_punch_token(),
                          now=datetime(2026, 4, 2, 9, tzinfo=TOKYO))
    assert result.created
    with pytest.raises(PunchRefused):
        punch_record(user=employee_b, kind=IN, token=new_punch_token(), now=datetime(2026, 4, 2, 10, tzinfo=TOKYO))


def test_the_page_lists_only_the_users_own_punches(limited_b, employee_b, employee_a, other_user):
    yesterday = timezone.localtime(timezone.now(), TOKYO) - timedelta(days=1)
    for user in [employee_a, other_user]:
        Punch.objects.create(user=user, kind=IN, token=new_punch_token(), punched_at=yesterday,
                             work_date=yesterday.date())
    press(limited_b, IN)
    html = page_text(limited_b.get("/attendance/"))
    assert html.count("<tr><th>") == 1  # today's own 出勤
    assert 'id="recent-punches"' not in html  # neither a colleague's nor another company's punch


def test_punch_page_and_punch_use_few_queries(database_only, client, employee_b, django_assert_max_num_queries,
                                              django_assert_num_queries):
    session_full(client, employee_b)
    start = timezone.now() - timedelta(days=20)
    Punch.objects.bulk_create([
        Punch(user=employee_b, kind=IN, token=f"old-{n}", punched_at=start + timedelta(days=n),
              work_date=(start + timedelta(days=n)).date()) for n in range(15)
    ])
    client.get("/attendance/")  # the first request of a session writes the session
    with django_assert_max_num_queries(5):  # session, user, device, licences, punches
        response = client.get("/attendance/")
    token = token_from(response)
    with django_assert_num_queries(5) as queries:  # session, user, device, licences; the insert
        client.post("/attendance/", {"kind": IN, "token": token})
    assert Punch.objects.filter(user=employee_b).count() == 16
    assert queries.captured_queries[-1]["sql"].lstrip().startswith("INSERT")


def test_a_punch_in_the_limited_mode_is_four_statements_and_one_of_them_writes(database_only, client, employee_b,
                                                                              django_assert_num_queries):
    """Session, user (with its tenant), licences, and the conditional insert
    that decides and stores: no transaction, no lock, no read of the day."""
    session_limited(client, employee_b)
    client.get("/attendance/")  # the first request of a session writes the session
    for kind in (IN, BREAK_START, BREAK_END, OUT):
        token = token_from(client.get("/attendance/"))
        with django_assert_num_queries(4) as queries:
            response = client.post("/attendance/", {"kind": kind, "token": token})
        assert response.status_code == 302
        sql = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
        assert sql == ["SELECT", "SELECT", "SELECT", "INSERT"]
    assert list(Punch.objects.filter(user=employee_b).order_by("seq").values_list("kind", "seq")) == [
        (IN, 1), (BREAK_START, 2), (BREAK_END, 3), (OUT, 4)]


def test_a_refused_or_repeated_punch_reads_the_day_only_after_the_insert_did_nothing(
        employee_b, django_assert_num_queries):
    token = new_punch_token()
    with django_assert_num_queries(1):
        punch_record(user=employee_b, kind=IN, token=token)
    with django_assert_num_queries(2):  # the insert; the form's earlier punch
        assert not punch_record(user=employee_b, kind=IN, token=token).created
    with django_assert_num_queries(3), pytest.raises(PunchRefused):  # the insert; token; last punch
        punch_record(user=employee_b, kind=BREAK_END, token=new_punch_token())


def test_the_database_refuses_two_punches_in_the_same_place_of_a_day(employee_b):
    now = timezone.now()
    Punch.objects.create(user=employee_b, kind=IN, punched_at=now, work_date=now.date(), token="a" * 32, seq=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Punch.objects.create(user=employee_b, kind=BREAK_START, punched_at=now, work_date=now.date(),
                             token="b" * 32, seq=1)


def test_a_punch_is_never_recorded_before_the_days_last_punch(employee_b):
    """An app server whose clock is behind, or a punch that waited for another:
    it follows the day's last punch at that punch's time, never before it."""
    nine = datetime(2026, 4, 1, 9, tzinfo=TOKYO)
    punch_record(user=employee_b, kind=IN, token=new_punch_token(), now=nine)
    result = punch_record(user=employee_b, kind=BREAK_START, token=new_punch_token(), now=nine - timedelta(seconds=2))
    assert result.created and result.punch.punched_at == nine
    kinds = list(Punch.objects.filter(user=employee_b).order_by("punched_at", "pk").values_list("kind", "seq"))
    assert kinds == [(IN, 1), (BREAK_START, 2)]


def test_a_day_whose_clock_out_is_not_its_last_punch_still_refuses_a_second_one(employee_b):
    """A correction may place 退勤 before a later break; the constraint still holds."""
    nine = datetime(2026, 4, 1, 9, tzinfo=TOKYO)
    day = nine.date()
    for seq, (kind, hour) in enumerate([(IN, 9), (OUT, 12), (BREAK_START, 13), (BREAK_END, 14)], start=1):
        Punch.objects.create(user=employee_b, kind=kind, punched_at=nine.replace(hour=hour), work_date=day,
                             token=f"t{seq}", seq=seq)
    with pytest.raises(PunchRefused, match="既に退勤"):
        punch_record(user=employee_b, kind=OUT, token=new_punch_token(), now=nine.replace(hour=18))
    assert Punch.objects.filter(user=employee_b, kind=OUT).count() == 1


# Whatever buttons are pressed, in whatever order, with resent forms mixed
# in, a work day's stored punches always form a possible day.

presses = st.lists(st.tuples(st.sampled_from(list(Punch.Kind)), st.integers(0, 5)), max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(presses=presses)
def test_any_sequence_of_presses_stores_a_possible_day(employee_b, presses):
    Punch.objects.filter(user=employee_b).delete()
    start = datetime(2026, 4, 1, 8, tzinfo=TOKYO)
    tokens = [new_punch_token() for _ in range(6)]  # a small pool: forms get resent
    for minute, (kind, form) in enumerate(presses):
        try:
            punch_record(user=employee_b, kind=kind, token=tokens[form], now=start + timedelta(minutes=minute))
        except PunchRefused as refused:
            assert str(refused)  # a message, never a crash
    kinds = list(Punch.objects.filter(user=employee_b).order_by("punched_at").values_list("kind", flat=True))
    if kinds:
        assert kinds[0] == IN and kinds.count(IN) == 1
        assert kinds.count(OUT) <= 1 and (OUT not in kinds or kinds[-1] == OUT)
        breaks = [k for k in kinds if k in (BREAK_START, BREAK_END)]
        assert breaks == [BREAK_START, BREAK_END] * (len(breaks) // 2) + [BREAK_START] * (len(breaks) % 2)
        assert not (OUT in kinds and len(breaks) % 2)  # never clocked out during a break
    assert len(kinds) == len({t for t in Punch.objects.filter(user=employee_b).values_list("token", flat=True)})


def test_an_employee_on_a_temporary_password_can_punch_in_the_limited_mode(client, temp_b):
    session_limited(client, temp_b)
    response = press(client, IN)
    assert "出勤を" in page_text(response)
    assert Punch.objects.filter(user=temp_b, kind=IN).count() == 1
