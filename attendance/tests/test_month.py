"""ネット de 就業 — the monthly list of one's own punches, and the demo data."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from attendance.models import TOKYO, AttendanceRequest, Punch
from tests.helpers import session_full, session_limited

Kind = Punch.Kind


def add_day(user, day, start=time(9), end=time(18), break_minutes=60):
    def at(moment):
        return datetime.combine(day, moment, tzinfo=TOKYO)

    rows = [(Kind.IN, at(start)), (Kind.BREAK_START, at(time(12))),
            (Kind.BREAK_END, at(time(12)) + timedelta(minutes=break_minutes)), (Kind.OUT, at(end))]
    Punch.objects.bulk_create([Punch(user=user, kind=k, punched_at=m, work_date=day,
                                     token=f"{user.pk}-{day}-{k}") for k, m in rows])


def row_of(html, day):
    html = re.sub(r' role="\w+"', "", html)  # the table's roles (kept a table on a phone's block layout)
    start = html.index(f"<th>{day.day}（")
    return re.sub(r"\s+", "", html[start:html.index("</tr>", start)])


def test_month_shows_own_days_with_work_time_in_the_limited_mode(client, employee_b, employee_a):
    add_day(employee_b, date(2026, 4, 1))  # 9:00–18:00, 1 h break → 8:00
    add_day(employee_b, date(2026, 4, 2), end=time(20, 30), break_minutes=45)  # → 10:45
    add_day(employee_a, date(2026, 4, 3))  # a colleague's day
    session_limited(client, employee_b)
    response = client.get("/attendance/month/2026/4/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年4月" in html
    assert "<td>09:00</td><td>18:00</td>" in row_of(html, date(2026, 4, 1))
    assert "<td>10:45</td>" in row_of(html, date(2026, 4, 2))
    assert "<td>09:00</td>" not in row_of(html, date(2026, 4, 3))
    assert "出勤日数 2日 / 実働合計 18:45" in html
    assert html.count('<th role="rowheader">') >= 30  # every day of April is listed


def test_a_night_shift_stays_on_the_day_it_started(client, employee_b):
    day = date(2026, 4, 10)
    Punch.objects.bulk_create([
        Punch(user=employee_b, kind=Kind.IN, punched_at=datetime(2026, 4, 10, 22, tzinfo=TOKYO), work_date=day,
              token="n1"),
        Punch(user=employee_b, kind=Kind.OUT, punched_at=datetime(2026, 4, 11, 4, tzinfo=TOKYO), work_date=day,
              token="n2"),
    ])
    session_limited(client, employee_b)
    row = row_of(client.get("/attendance/month/2026/4/").content.decode(), day)
    assert "22:00" in row and "04:00" in row and "（翌日）" in row and "6:00" in row


def test_requests_appear_on_their_days_in_the_full_mode_only(client, employee_b):
    AttendanceRequest.objects.create(user=employee_b, kind=AttendanceRequest.Kind.LEAVE, reason="私用",
                                     start_date=date(2026, 4, 6), end_date=date(2026, 4, 7))
    session_full(client, employee_b)
    html = client.get("/attendance/month/2026/4/").content.decode()
    assert "休暇・申請中" in row_of(html, date(2026, 4, 6)) and "休暇・申請中" in row_of(html, date(2026, 4, 7))
    assert "休暇" not in row_of(html, date(2026, 4, 8))
    phone = session_limited(Client(), employee_b)
    assert "休暇・申請中" not in phone.get("/attendance/month/2026/4/").content.decode()


@pytest.mark.parametrize("url", ["/attendance/month/2026/13/", "/attendance/month/1900/1/"])
def test_an_impossible_month_is_404(client, employee_b, url):
    session_limited(client, employee_b)
    assert client.get(url).status_code == 404


def test_month_query_count_does_not_grow_with_punches(client, employee_b, django_assert_max_num_queries):
    session_full(client, employee_b)
    client.get("/attendance/month/2026/4/")
    add_day(employee_b, date(2026, 4, 1))
    with django_assert_max_num_queries(7) as few:
        client.get("/attendance/month/2026/4/")
    for number in range(2, 30):
        add_day(employee_b, date(2026, 4, number))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/attendance/month/2026/4/")
    assert "出勤日数 29日" in response.content.decode()


def test_seed_demo_fills_a_month_and_a_pending_request(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")  # runs again without piling up or failing
    users = User.objects.filter(tenant__code="demo")
    for user in users:
        punches = Punch.objects.filter(user=user)
        assert 15 * 4 <= punches.count() <= 23 * 4  # about a month of weekdays, four punches each
        assert set(punches.values_list("kind", flat=True)) == set(Kind.values)
    assert AttendanceRequest.objects.filter(user__in=users, status=AttendanceRequest.Status.PENDING).count() == 1
