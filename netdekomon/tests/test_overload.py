"""Overload: 「混み合っています」 before any work, and a punch resent with a receipt of its first arrival."""

import re
import time
from html import unescape

import pytest
from django.conf import settings
from django.test import RequestFactory

from attendance.forms import new_punch_token
from attendance.models import Punch
from kit import receipts
from netdekomon.overload import request_start
from tests.helpers import session_limited

LATE = 5.0  # seconds a shed request waited in front of the app


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REQUEST_QUEUE_LIMIT_MS = 1000
    settings.OVERLOAD_RETRY_AFTER_SECONDS = 3
    return settings


def waited(seconds: float) -> dict:
    return {"HTTP_X_REQUEST_START": f"t={time.time() - seconds:.3f}"}


def hidden_fields(html: str) -> dict:
    return {unescape(name): unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}


@pytest.mark.parametrize("value, expected", [
    ("t=1764900000.123", 1764900000.123),  # nginx ${msec}
    ("t=1764900000123", 1764900000.123),  # milliseconds
    ("t=1764900000123456", 1764900000.123456),  # microseconds (Apache %t)
    ("1764900000", 1764900000.0),
    ("t=", None), ("t=abc", None), ("t=nan", None), ("t=-5", None), ("", None), (None, None),
])
def test_the_request_start_header_in_its_usual_forms(value, expected):
    assert request_start(value) == (pytest.approx(expected) if expected else None)


def test_a_request_that_waited_too_long_is_told_at_once_without_any_work(
        behind_proxy, client, employee_b, django_assert_num_queries):
    session_limited(client, employee_b)
    with django_assert_num_queries(0):
        response = client.get("/attendance/", **waited(LATE))
    assert response.status_code == 503 and response["Retry-After"] == "3"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "混み合っています" in page and "3 秒ほど待ってから" in page and 'lang="ja"' in page
    assert "ポータルへ戻る" in page


def test_shedding_writes_one_log_line_not_one_per_request(behind_proxy, client, caplog):
    with caplog.at_level("INFO"):
        for _ in range(20):
            assert client.get("/payslips/", **waited(LATE)).status_code == 503
    assert len(caplog.records) <= 1


def test_the_path_on_the_shed_page_is_escaped(behind_proxy, client):
    response = client.get('/attendance/"><script>alert(1)</script>', **waited(LATE))
    page = response.content.decode()
    assert response.status_code == 503 and "<script>alert" not in page
    assert 'href="/attendance/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' in page


def test_a_request_within_the_limit_is_served(behind_proxy, client, employee_b):
    session_limited(client, employee_b)
    assert client.get("/attendance/", **waited(0.2)).status_code == 200


def test_without_a_trusted_proxy_the_header_decides_nothing(settings, client, employee_b):
    """A client's own header must not shed it, nor date anything."""
    settings.TRUSTED_PROXY_COUNT = 0
    session_limited(client, employee_b)
    assert client.get("/attendance/", **waited(LATE)).status_code == 200


def test_a_start_time_from_the_future_sheds_nothing(behind_proxy, client, employee_b):
    session_limited(client, employee_b)
    assert client.get("/attendance/", HTTP_X_REQUEST_START=f"t={time.time() + 3600:.3f}").status_code == 200


def test_shedding_can_be_turned_off(behind_proxy, client, employee_b):
    behind_proxy.REQUEST_QUEUE_LIMIT_MS = 0
    session_limited(client, employee_b)
    assert client.get("/attendance/", **waited(LATE)).status_code == 200


# --- The punch: resent by itself, recorded at its first arrival ---------------------------------

def shed_punch(client, kind="in", token=None, extra=None):
    token = token or new_punch_token()
    response = client.post("/attendance/", {"kind": kind, "token": token, **(extra or {})}, **waited(LATE))
    return token, response


def test_a_shed_punch_stores_nothing_and_offers_the_same_form_again(behind_proxy, client, employee_b):
    session_limited(client, employee_b)
    token, response = shed_punch(client)
    assert response.status_code == 503 and not Punch.objects.exists()
    page = response.content.decode()
    assert "混み合っています。自動で再送します…" in page and 'src="/static/js/resend.js"' in page
    assert 'action="/attendance/"' in page
    fields = hidden_fields(page)
    assert fields["kind"] == "in" and fields["token"] == token and fields[receipts.FIELD]


def test_the_resend_is_recorded_once_at_the_time_of_the_first_arrival(behind_proxy, client, employee_b):
    session_limited(client, employee_b)
    sent_at = time.time() - LATE
    token, response = shed_punch(client)
    resend = hidden_fields(response.content.decode())
    assert client.post("/attendance/", resend).status_code == 302
    assert client.post("/attendance/", resend).status_code == 302  # the browser resent it twice
    punch = Punch.objects.get(user=employee_b)
    assert abs(punch.punched_at.timestamp() - sent_at) < 1.0


def test_a_resend_shed_again_keeps_the_first_arrival(behind_proxy, client, employee_b):
    session_limited(client, employee_b)
    sent_at = time.time() - LATE
    token, first = shed_punch(client)
    again = client.post("/attendance/", hidden_fields(first.content.decode()), **waited(LATE))
    assert again.status_code == 503
    client.post("/attendance/", hidden_fields(again.content.decode()))
    assert abs(Punch.objects.get(user=employee_b).punched_at.timestamp() - sent_at) < 1.0


def test_a_resend_past_its_receipt_is_told_so_not_dated_anew(behind_proxy, client, employee_b):
    """Shed again after its receipt expired, the punch keeps that receipt: the view then
    says it cannot count at its first arrival. A new receipt would date it at the resend,
    later than it was made, without the employee knowing."""
    session_limited(client, employee_b)
    _token, first = shed_punch(client)
    expired = hidden_fields(first.content.decode())
    behind_proxy.OVERLOAD_RECEIPT_SECONDS = 3  # the first arrival (5 s ago) is now past what a receipt covers
    again = client.post("/attendance/", expired, **waited(2.5))  # past twice the limit: shed again
    assert again.status_code == 503 and again["Retry-After"] == "3"
    assert hidden_fields(again.content.decode())[receipts.FIELD] == expired[receipts.FIELD]
    answer = client.post("/attendance/", hidden_fields(again.content.decode()), follow=True)
    assert "受付から時間がたちすぎたため" in answer.content.decode()
    assert not Punch.objects.exists()


def test_each_time_the_same_punch_is_shed_again_it_comes_back_later(behind_proxy, client, employee_b):
    """Shed again and again, the punch takes a later slot each time; the page counts
    down what the header says, and the receipt keeps counting the attempts."""
    session_limited(client, employee_b)
    token, response = shed_punch(client)
    waits = []
    for _ in range(6):
        page = response.content.decode()
        seconds = response["Retry-After"]
        assert f'data-seconds="{seconds}"' in page and f"<span data-countdown>{seconds}</span>" in page
        waits.append(int(seconds))
        response = client.post("/attendance/", hidden_fields(page), **waited(LATE))
        assert response.status_code == 503
    assert waits[0] == 3 and waits == sorted(waits) and waits[-1] <= behind_proxy.OVERLOAD_RETRY_MAX_SECONDS
    assert not Punch.objects.exists()
    fields = hidden_fields(response.content.decode())
    resend = RequestFactory().post("/attendance/", fields)
    resend.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert receipts.read(fields[receipts.FIELD], receipts.form_digest(resend))[1] == 7


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def serving(schedule, per_second, requests=100):
    for _ in range(requests):
        schedule.served(1 / per_second)


def test_the_waiting_punches_come_back_at_the_rate_the_worker_serves(behind_proxy):
    """A worker that takes 20 ms a request gives 500 shed punches slots 20 ms apart:
    they come back over ten seconds, as fast as it records them, not all at once."""
    from netdekomon.overload import ResendSchedule

    behind_proxy.OVERLOAD_RETRY_MAX_SECONDS = 150
    schedule = ResendSchedule(Clock())
    serving(schedule, 50)
    waits = [schedule.wait() for _ in range(500)]
    assert waits[0] == 3 and waits == sorted(waits)
    assert 12 <= waits[-1] <= 14  # 3 s, then 500 / 50 per second
    per_second = {second: waits.count(second) for second in set(waits)}
    assert max(per_second.values()) <= 51  # never more back in one second than the worker serves


def test_pages_do_not_set_the_pace_of_the_resends(behind_proxy, client, employee_b):
    """Cheap pages (or a flood of 404s) must not make the resends bunch up: only forms
    count. With no form served yet, the worker assumes 0.1 s a form: the twentieth
    shed punch comes back about 2 s after the first, however many pages it served."""
    session_limited(client, employee_b)
    for _ in range(30):
        client.get("/attendance/", **waited(0.1))
        client.get("/no-such-page/", **waited(0.1))
    waits = [int(shed_punch(client)[1]["Retry-After"]) for _ in range(20)]
    assert waits[0] == 3 and waits[-1] >= 4


def test_the_pace_is_what_a_request_costs_not_how_few_were_served(behind_proxy):
    """Shedding most arrivals, the worker served only a few requests lately: the resends
    are still paced at what it can serve, or the servers would idle after the rush."""
    from netdekomon.overload import ResendSchedule

    clock = Clock()
    schedule = ResendSchedule(clock)
    serving(schedule, 50, requests=3)
    clock.now += 30
    waits = [schedule.wait() for _ in range(100)]
    assert waits[-1] == 5  # 3 s + 100 × 20 ms
    schedule.served(30.0)  # one slow report page is not the worker's pace
    assert schedule.service < 0.03


def test_a_slow_worker_spreads_them_further_up_to_the_cap(behind_proxy):
    from netdekomon.overload import ResendSchedule

    behind_proxy.OVERLOAD_RETRY_MAX_SECONDS = 150
    clock = Clock()
    schedule = ResendSchedule(clock)
    serving(schedule, 5)
    waits = [schedule.wait() for _ in range(1000)]
    assert 42 <= waits[200] <= 44  # 3 s + 200 / 5 per second
    assert waits[-1] == 150  # never longer than the cap
    assert schedule.wait(within=40.0) == 40  # nor than the form's receipt still covers
    assert schedule.wait(within=1.0) == 3  # a receipt about to expire: the configured wait, and the view says so
    clock.now += 200  # a later rush: the slots handed out at the cap do not push it further
    assert schedule.wait() == 3


def test_when_the_rush_is_over_the_wait_is_the_configured_one_again(behind_proxy):
    from netdekomon.overload import ResendSchedule

    clock = Clock()
    schedule = ResendSchedule(clock)
    serving(schedule, 20)
    assert [schedule.wait() for _ in range(100)][-1] == 8  # 3 s + 100 / 20 per second
    clock.now += 60  # the slots handed out lie in the past
    assert schedule.wait() == 3


def test_a_resend_goes_before_new_requests_that_waited_as_long(behind_proxy, client, employee_b):
    """Waited 1.5 × the limit: a new punch is shed, the resend of a shed one is recorded —
    otherwise a long overload sheds every punch again and again."""
    session_limited(client, employee_b)
    _token, first = shed_punch(client)
    resend = hidden_fields(first.content.decode())
    assert client.post("/attendance/", {"kind": "in", "token": new_punch_token()}, **waited(1.5)).status_code == 503
    assert client.post("/attendance/", resend, **waited(1.5)).status_code == 302
    assert Punch.objects.filter(user=employee_b).count() == 1
    assert client.post("/attendance/", resend, **waited(2.5)).status_code == 503  # past twice the limit


def test_a_punch_served_after_waiting_in_front_of_the_app_counts_at_its_arrival(behind_proxy, client, employee_b):
    """Served 0.8 s after the load balancer took it: recorded at the stamp, not when a worker got to it."""
    session_limited(client, employee_b)
    response = client.post("/attendance/", {"kind": "in", "token": new_punch_token()}, **waited(0.8))
    assert response.status_code == 302
    assert abs(Punch.objects.get(user=employee_b).punched_at.timestamp() - (time.time() - 0.8)) < 0.3


def test_without_a_trusted_proxy_a_stamp_dates_no_punch(settings, client, employee_b):
    settings.TRUSTED_PROXY_COUNT = 0
    session_limited(client, employee_b)
    client.post("/attendance/", {"kind": "in", "token": new_punch_token()}, HTTP_X_REQUEST_START="t=1000000000")
    assert abs(Punch.objects.get(user=employee_b).punched_at.timestamp() - time.time()) < 5


def test_only_views_that_ask_for_it_are_resent(behind_proxy, client, employee_a):
    """A shed login or 届出 is not echoed back into a page: only declared views are resent."""
    response = client.post("/accounts/login/", {"auth-username": employee_a.login_id, "auth-password": "secret",
                                                "login_view-current_step": "auth"}, **waited(LATE))
    assert response.status_code == 503
    page = response.content.decode()
    assert "secret" not in page and 'id="resend"' not in page and "もう一度開く" in page
