"""Password guessing (django-axes + the per-ID ceiling), as docs/security.md decides:
5 wrong passwords lock an ID from one IP for 15 minutes; 30 wrong passwords
for one ID from anywhere lock the ID for everyone until they age out; a
lock says so, until when, alike for every typed ID; the ceiling looks like a
wrong password."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, code_for, post_login
from accounts.login.tests.test_bad_input import errors_of

OFFICE = "203.0.113.10"
COLLEAGUE = "203.0.113.20"


def attempt(client, password, ip, login_id="A1000002"):
    response = post_login(client, login_id, password, REMOTE_ADDR=ip)
    reached_code = 'autocomplete="one-time-code"' in response.content.decode()
    client.cookies.clear()  # a fresh wizard every time
    return response.status_code, errors_of(response), reached_code


def wrong(client, ip, n, login_id="A1000002"):
    for _ in range(n):
        status, _errors, reached = attempt(client, "Wrong-password-1", ip, login_id)
        assert status == 200 and not reached


def age_attempts(minutes):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_policy_values():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.LOGIN_ID_FAILURE_CEILING == 30


def test_four_failures_do_not_lock(client, employee_a):
    wrong(client, OFFICE, 4)
    assert attempt(client, PASSWORD, OFFICE)[2]


def test_five_failures_lock_the_id_from_that_ip_only(client, employee_a, admin_a):
    wrong_password = attempt(client, "Wrong-password-1", OFFICE)
    wrong(client, OFFICE, 4)
    locked = attempt(client, PASSWORD, OFFICE)
    assert not locked[2]
    # The lock says so and until when (the same for an unknown ID: test_lockout_messages.py).
    assert locked[0] == wrong_password[0] == 200
    assert "一時的に制限しています" in locked[1] and "正しくありません" not in locked[1]
    lockout = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT).first()
    assert lockout.user == employee_a and lockout.tenant == employee_a.tenant  # its company sees it
    assert PASSWORD not in lockout.detail + str(lockout.data)
    # A colleague (or the user at another machine) is not locked out.
    assert attempt(client, PASSWORD, COLLEAGUE)[2]
    # Another ID from the same IP (the admin at the same office) is not locked either.
    assert attempt(client, PASSWORD, OFFICE, login_id="A1000001")[2]


def test_lock_lifts_after_the_cool_off(client, employee_a):
    wrong(client, OFFICE, 5)
    assert not attempt(client, PASSWORD, OFFICE)[2]
    age_attempts(14)
    assert not attempt(client, PASSWORD, OFFICE)[2]  # still locked (a refused try does not extend it)
    age_attempts(16)
    assert attempt(client, PASSWORD, OFFICE)[2]


def test_per_id_ceiling_stops_guessing_spread_over_many_ips(client, employee_a, admin_a):
    ceiling = settings.LOGIN_ID_FAILURE_CEILING
    ips = [f"198.51.100.{i}" for i in range(ceiling)]
    for i in range(ceiling - 1):  # four per IP: never the per-IP lock
        wrong(client, ips[i // 4], 1)
    assert attempt(client, PASSWORD, "192.0.2.1")[2]  # just under the ceiling: the owner gets in
    wrong(client, ips[-1], 1)
    wrong_password = attempt(client, "Wrong-password-1", "192.0.2.2")
    over = attempt(client, PASSWORD, "192.0.2.3")
    assert not over[2]
    assert over[:2] == wrong_password[:2]
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT, user=employee_a,
                                        data__reason="ceiling").count() == 2
    # Other IDs are unaffected.
    assert attempt(client, PASSWORD, "192.0.2.3", login_id="A1000001")[2]
    # The failures age out after the cool-off and the ID works again.
    age_attempts(16)
    assert attempt(client, PASSWORD, "192.0.2.3")[2]


def test_success_resets_the_count_for_that_ip(client, employee_a):
    wrong(client, OFFICE, 4)
    post_login(client, "A1000002", REMOTE_ADDR=OFFICE)
    response = client.post("/accounts/login/", {
        "login_view-current_step": "token",
        "token-otp_token": code_for(TOTPDevice.objects.get(user=employee_a))}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 302
    client.logout()
    wrong(client, OFFICE, 4)
    assert attempt(client, PASSWORD, OFFICE)[2]



LOOK_ALIKES = ["A1000002", "a1000002", "A1O00002", "A10O0002", "AI000002", "AL0OO002", "Ａ１０００００２"]


def test_spelling_the_id_differently_does_not_buy_more_guesses(client, employee_a):
    # Every spelling logs in to the same account, so every spelling counts for it.
    for spelling in LOOK_ALIKES[:5]:
        attempt(client, "Wrong-password-1", OFFICE, login_id=spelling)
    assert not attempt(client, PASSWORD, OFFICE, login_id=LOOK_ALIKES[-1])[2]
    assert attempt(client, PASSWORD, COLLEAGUE, login_id=LOOK_ALIKES[-2])[2]


def test_look_alike_spellings_count_towards_the_ceiling(client, employee_a):
    ceiling = settings.LOGIN_ID_FAILURE_CEILING
    for i in range(ceiling):
        attempt(client, "Wrong-password-1", f"198.51.100.{i}", login_id=LOOK_ALIKES[i % len(LOOK_ALIKES)])
    assert not attempt(client, PASSWORD, "192.0.2.9")[2]


def test_lockout_without_a_page_leads_back_to_the_login(rf, employee_a):
    from accounts.views.login import lockout

    request = rf.post("/accounts/login/", REMOTE_ADDR=OFFICE)
    response = lockout(request, None, {"username": "a1000002", "password": "x"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKOUT).user == employee_a
