"""The login wizard's own control fields, posted by hand at every step, and a
session cookie planted before the login (outside test findings 3 and 6).

django-two-factor-auth jumped to the code step on ``challenge_device``
before validating the current step (a 500 for anyone); formtools' and
two_factor's control fields are now ignored unless they are the wizard's
own キャンセル. The session key changes after the password step, after the
choice and after every code step, so a cookie known before the login
carries nothing to a second client.
"""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import code_for, post_choice, post_code, post_login, session_limited

LOGIN_URL = "/accounts/login/"
COOKIE = settings.SESSION_COOKIE_NAME

CONTROLS = [
    {"challenge_device": "x"},
    {"challenge_device": ""},
    {"challenge_device": "otp_totp.totpdevice/1"},
    {"wizard_goto_step": "token"},
    {"wizard_goto_step": "choice"},
    {"wizard_goto_step": "backup"},
    {"wizard_goto_step": "zzz"},
    {"login_view-current_step": "backup"},
    {"login_view-current_step": "zzz"},
    {"login_view-current_step": ""},
]

# (who logs in, what they posted before, the step they are at)
STAGES = {
    "password": (None, "auth"),
    "b_choice": ("B1000001", "choice"),
    "a_code": ("A1000002", "token"),
    "b_code": ("B1000001", "token"),
}


def _at_stage(client, stage):
    login_id, step = STAGES[stage]
    if login_id:
        post_login(client, login_id)
    if stage == "b_code":
        post_choice(client, "full")
    return step


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_control_fields_never_answer_500_nor_skip_a_step(employee_a, employee_b, stage, control):
    client = Client(raise_request_exception=False)
    step = _at_stage(client, stage)
    response = client.post(LOGIN_URL, {"login_view-current_step": step, **control})
    # The page again, or 400 for a missing step name (formtools: tampered management form).
    assert response.status_code == (400 if control.get("login_view-current_step") == "" else 200)
    assert client.session.get("_auth_user_id") is None  # no step was skipped
    assert client.session.get("otp_device_id") is None


def test_challenge_device_changes_nothing_at_the_code_step(employee_a, employee_b):
    wrong = Client()
    post_login(wrong, "B1000001")
    post_choice(wrong, "full")
    response = wrong.post(LOGIN_URL, {"login_view-current_step": "token", "token-otp_token": "000000",
                                      "challenge_device": TOTPDevice.objects.get(user=employee_b).persistent_id})
    assert "認証コードが正しくありません" in response.content.decode()
    assert wrong.session.get("_auth_user_id") is None
    right = Client()
    post_login(right, "A1000002")
    device = TOTPDevice.objects.get(user=employee_a)
    response = right.post(LOGIN_URL, {"login_view-current_step": "token", "token-otp_token": code_for(device),
                                      "challenge_device": device.persistent_id})
    assert response.status_code == 302 and right.session["_auth_user_id"] == str(employee_a.pk)


def test_cancel_still_starts_the_login_again(employee_b):
    client = Client()
    post_login(client, "B1000001")
    response = client.post(LOGIN_URL, {"login_view-current_step": "choice", "wizard_goto_step": "auth"})
    assert 'name="auth-username"' in response.content.decode()
    assert 'name="choice-mode"' not in response.content.decode()


def _planted_pair():
    """An attacker's session (from opening the login page), planted in the victim's browser."""
    attacker = Client()
    attacker.get(LOGIN_URL)
    planted = attacker.cookies[COOKIE].value
    victim = Client()
    victim.cookies[COOKIE] = planted
    return attacker, victim, planted


def _assert_attacker_has_nothing(attacker):
    assert attacker.session.get("_auth_user_id") is None
    response = attacker.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


def test_planted_cookie_after_the_password_step_gives_no_limited_mode(employee_b):
    attacker, victim, planted = _planted_pair()
    post_login(victim, "B1000001")
    assert victim.cookies[COOKIE].value != planted  # rotated at the password step
    response = post_choice(attacker, "limited")
    assert 'name="auth-username"' in response.content.decode()
    _assert_attacker_has_nothing(attacker)
    # The victim's own login goes on undisturbed.
    assert post_choice(victim, "limited").status_code == 302
    assert victim.get("/").status_code == 200


def test_planted_cookie_after_the_choice_gives_no_code_step(employee_b):
    attacker, victim, planted = _planted_pair()
    post_login(victim, "B1000001")
    after_password = victim.cookies[COOKIE].value
    post_choice(victim, "full")
    assert victim.cookies[COOKIE].value not in (planted, after_password)  # rotated at the choice
    attacker.cookies[COOKIE] = after_password  # even a cookie read off between two steps
    device = TOTPDevice.objects.get(user=employee_b)
    post_code(attacker, code_for(device))
    _assert_attacker_has_nothing(attacker)


def test_planted_cookie_after_the_code_step_gives_nothing(employee_a):
    attacker, victim, planted = _planted_pair()
    post_login(victim, "A1000002")
    before_code = victim.cookies[COOKIE].value
    post_code(victim, code_for(TOTPDevice.objects.get(user=employee_a)))
    assert victim.cookies[COOKIE].value not in (planted, before_code)
    attacker.cookies[COOKIE] = before_code
    _assert_attacker_has_nothing(attacker)
    assert victim.get("/").status_code == 200


def test_step_up_code_rotates_the_session_key(employee_b):
    client = session_limited(Client(), employee_b)
    before = client.cookies[COOKIE].value
    response = client.post("/accounts/verify/", {"otp_token": code_for(TOTPDevice.objects.get(user=employee_b))})
    assert response.status_code == 302
    assert client.cookies[COOKIE].value != before
    stale = Client()
    stale.cookies[COOKIE] = before
    assert stale.session.get("_auth_user_id") is None
