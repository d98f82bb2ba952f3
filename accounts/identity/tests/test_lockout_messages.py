"""What a locked-out employee is told (issue 26): the lock of the ID from this
address and until when — and exactly the same for an ID that does not exist,
so the login page tells nobody which IDs exist; the ceiling still reads like a
wrong password (accounts/identity/lockout.py says why)."""

import re
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django.utils.timezone import localtime

from accounts import event_kinds
from accounts.identity import lockout
from accounts.login.tests.test_bad_input import errors_of
from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, post_login

OFFICE = "203.0.113.10"
LOCKED = "パスワードの誤りが続いたため、このログインIDでのログインを一時的に制限しています。"
WRONG = "ログインIDまたはパスワードが正しくありません"


def attempt(client, login_id, password, ip=OFFICE):
    """The password step in a fresh browser (``client`` stays as it is: the console's)."""
    return post_login(Client(), login_id, password, REMOTE_ADDR=ip)


def wrong(client, login_id, n, ip=OFFICE):
    return [errors_of(attempt(client, login_id, "Wrong-password-1", ip)) for _ in range(n)]


def reached_code(response) -> bool:
    return 'autocomplete="one-time-code"' in response.content.decode()


def test_the_fifth_wrong_password_and_the_right_one_then_say_until_when(client, employee_a):
    errors = wrong(client, "A1000002", settings.AXES_FAILURE_LIMIT)
    assert all(WRONG in e and LOCKED not in e for e in errors[:-1])
    assert LOCKED in errors[-1]
    right = attempt(client, "A1000002", PASSWORD)
    assert right.status_code == 200 and not reached_code(right)
    text = errors_of(right)
    assert LOCKED in text and WRONG not in text
    end = localtime(AccessAttempt.objects.get().attempt_time + settings.AXES_COOLOFF_TIME)
    assert f"{end:%H:%M} 以降（あと約15分）に、もう一度ログインしてください。" in text
    assert "会社の管理者に制限の解除を依頼してください" in text


def test_an_unknown_id_reads_exactly_the_same_after_the_same_failures(client, employee_a):
    wrong(client, "A1000002", settings.AXES_FAILURE_LIMIT)
    wrong(client, "A7777777", settings.AXES_FAILURE_LIMIT)  # no such ID
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=3))  # the same moment
    real = attempt(client, "A1000002", PASSWORD)
    unknown = attempt(client, "A7777777", PASSWORD)
    assert real.status_code == unknown.status_code == 200
    assert LOCKED in errors_of(real)
    assert errors_of(real) == errors_of(unknown)
    assert re.search(r"あと約1[12]分", errors_of(real))
    assert (lockout.locked_until("A1000002", OFFICE) == lockout.locked_until("A7777777", OFFICE)
            is not None)


def test_the_lock_is_of_that_address_and_ends_when_it_says(client, employee_a):
    wrong(client, "A1000002", settings.AXES_FAILURE_LIMIT)
    assert reached_code(attempt(client, "A1000002", PASSWORD, ip="203.0.113.20"))  # another address
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert "あと約1分" in errors_of(attempt(client, "A1000002", PASSWORD))
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
    assert reached_code(attempt(client, "A1000002", PASSWORD))


def test_the_ceiling_still_reads_like_a_wrong_password(client, employee_a):
    for i in range(settings.LOGIN_ID_FAILURE_CEILING // 4 + 1):  # four per address: never the per-address lock
        wrong(client, "A1000002", 4, ip=f"198.51.100.{i}")
    refused = attempt(client, "A1000002", PASSWORD, ip="192.0.2.99")
    assert not reached_code(refused)
    assert WRONG in errors_of(refused) and LOCKED not in errors_of(refused)
    assert lockout.ceiling_until("A1000002") is not None


def test_the_lockout_event_says_until_when_without_the_password(client, employee_a, console):
    wrong(client, "A1000002", settings.AXES_FAILURE_LIMIT)
    attempt(client, "A1000002", PASSWORD)
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT).latest("created_at")
    assert event.user == employee_a and event.data["reason"] == event_kinds.PER_ADDRESS
    until = localtime(AccessAttempt.objects.get().attempt_time + settings.AXES_COOLOFF_TIME)
    assert abs(datetime.fromisoformat(event.data["until"]) - until) < timedelta(seconds=1)
    assert PASSWORD not in str(event.data)
    page = console.get("/admin/accounts/securityevent/").content.decode()
    assert f"一時的に制限（{until:%Y/%m/%d %H:%M} まで）" in page


def test_past_the_ceiling_a_real_id_at_its_own_office_reads_like_an_unknown_one(employee_a):
    """Past the ceiling an unknown ID is refused before django-axes with the wrong-password
    message; a real ID at an address its user knows reaches axes, and must read the same."""
    SecurityEvent.objects.create(user=employee_a, tenant=employee_a.tenant,
                                 kind=SecurityEvent.Kind.LOGIN_SUCCESS, ip_address=OFFICE)

    def wrong(login_id, address, times):
        return [errors_of(post_login(Client(), login_id, "Wrong-password-1", REMOTE_ADDR=address))
                for _ in range(times)]

    for login_id in (employee_a.login_id, "A7777777"):
        for i in range(settings.LOGIN_ID_FAILURE_CEILING // 4 + 1):
            wrong(login_id, f"198.51.100.{i}", 4)
    real = wrong(employee_a.login_id, OFFICE, settings.AXES_FAILURE_LIMIT + 1)
    unknown = wrong("A7777777", OFFICE, settings.AXES_FAILURE_LIMIT + 1)
    assert real == unknown
    assert all(LOCKED not in errors for errors in real)
