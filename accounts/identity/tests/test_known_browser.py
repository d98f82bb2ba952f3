"""Known-browser trust (second outside test, finding 2).

Before: the cookie held only user ids (signed, so not forgeable, but
copyable). A copy let an ID closed by the per-ID ceiling be guessed from any
address, 5 guesses per address with no ceiling, and skipped the new-device
mail, for 180 days, through a password change, a 2FA reset and 退職; a
shared PC's cookie covered its last ten users. Now trust is bound to the
user's credentials and session stamp, lasts 30 days, dies after 5 wrong
passwords presented with it, and logging out drops it unless
「このブラウザを信頼する」 was ticked.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.identity import known_browsers
from accounts.people import services
from accounts.models import KnownBrowser
from accounts.people.offboarding import user_offboard, user_reactivate
from tests.helpers import PASSWORD, post_choice, post_login, session_full

HOME = "192.0.2.44"


def browser(address=HOME):
    return Client(REMOTE_ADDR=address)


def log_in_limited(client, user, password=PASSWORD, *, trust=False, **extra):
    """A completed login in the limited mode (B-ID): the known-browser cookie is set."""
    post_login(client, user.login_id, password, trust=trust, **extra)
    response = post_choice(client, "limited")
    assert response.status_code == 302, response.content.decode()[:400]
    return client


def password_taken(client, login_id, password, address):
    """The password step let the login on (the ログイン選択 of a B-ID follows)."""
    html = post_login(client, login_id, password, REMOTE_ADDR=address).content.decode()
    return 'name="choice-mode"' in html


def notices(user):
    return [m for m in mail.outbox if "新しい端末からログインがありました" in m.subject and m.to == [user.email]]


def copy_cookie(source: Client) -> Client:
    thief = Client()
    thief.cookies[known_browsers.COOKIE] = source.cookies[known_browsers.COOKIE].value
    return thief


def test_a_copied_cookie_buys_a_handful_of_guesses_not_a_way_past_the_ceiling(employee_b):
    """The outside test: 40 wrong guesses from 8 addresses with a copied cookie, then the
    right password from a 9th. Before, the copy still opened the account."""
    victim = log_in_limited(browser(), employee_b, trust=True)
    thief = copy_cookie(victim)
    for n in range(8):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_login(thief, employee_b.login_id, "Wrong-password-1", REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert not password_taken(thief, employee_b.login_id, PASSWORD, "198.51.100.9")
    # The guesses counted against the cookie's token, at most what the limit allows through.
    assert KnownBrowser.objects.get(user=employee_b).failures >= settings.LOGIN_KNOWN_BROWSER_FAILURES
    # The employee's own address still passes (a login completed from it), and a new
    # login there gives the browser fresh trust that the stolen copy does not share.
    assert password_taken(Client(), employee_b.login_id, PASSWORD, HOME)
    log_in_limited(browser(), employee_b, trust=True)
    assert not password_taken(thief, employee_b.login_id, PASSWORD, "198.51.100.10")


def test_wrong_passwords_with_the_cookie_stop_its_trust_before_the_ceiling(employee_b):
    victim = log_in_limited(browser(), employee_b, trust=True)
    for _ in range(settings.LOGIN_KNOWN_BROWSER_FAILURES):
        post_login(victim, employee_b.login_id, "Wrong-password-1", REMOTE_ADDR="198.51.100.1")
    for n in range(2, 8):  # the ceiling reached by cookie-less strangers
        stranger = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_login(stranger, employee_b.login_id, "Wrong-password-1", REMOTE_ADDR=f"198.51.100.{n}")
    assert not password_taken(victim, employee_b.login_id, PASSWORD, "203.0.113.77")


def _close_by_ceiling(login_id):
    for n in range(-(-settings.LOGIN_ID_FAILURE_CEILING // settings.AXES_FAILURE_LIMIT)):
        stranger = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            post_login(stranger, login_id, "Wrong-password-1", REMOTE_ADDR=f"198.51.100.{n + 1}")


def test_a_trusted_browser_passes_the_ceiling_from_a_new_address(employee_b):
    own = log_in_limited(browser(), employee_b, trust=True)
    _close_by_ceiling(employee_b.login_id)
    assert password_taken(own, employee_b.login_id, PASSWORD, "203.0.113.78")  # a phone on the train
    assert not password_taken(Client(), employee_b.login_id, PASSWORD, "203.0.113.79")


def _change_password(user, admin):
    services.user_change_password(user=user, new_password="Another-horse-7-staple")
    return "Another-horse-7-staple"


def _reset_2fa(user, admin):
    services.user_reset_2fa(user=user, actor=admin)
    return PASSWORD


def _temporary_password(user, admin):
    return services.user_issue_temporary_password(user=user, actor=admin)


def _offboard_and_back(user, admin):
    user_offboard(user=user, actor=admin)
    return user_reactivate(user=user, actor=admin)


@pytest.mark.parametrize("event", [_change_password, _reset_2fa, _temporary_password, _offboard_and_back],
                         ids=["password change", "2FA reset", "temporary password", "退職 and back"])
def test_new_credentials_void_the_trust(event, employee_b, admin_a):
    own = log_in_limited(browser(), employee_b, trust=True)
    own.post("/accounts/logout/")
    password = event(employee_b, admin_a)
    mail.outbox.clear()
    # The same browser is new to the account again: the ceiling treats it as a stranger …
    _close_by_ceiling(employee_b.login_id)
    assert not password_taken(own, employee_b.login_id, password, "203.0.113.80")
    # … and, from an address the ceiling lets through, the login is mailed as a new browser.
    log_in_limited(own, employee_b, password, REMOTE_ADDR=HOME)
    assert len(notices(employee_b)) == 1


def test_changing_ones_own_password_keeps_this_browsers_trust(employee_b):
    own = log_in_limited(browser(), employee_b, trust=True)
    session_full(own, employee_b)  # the password change needs a session verified with the code
    response = own.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Another-horse-7-staple",
                                                "new_password2": "Another-horse-7-staple"})
    assert response.status_code == 302
    own.post("/accounts/logout/")
    mail.outbox.clear()
    log_in_limited(own, employee_b, "Another-horse-7-staple")
    assert notices(employee_b) == []


def test_trust_expires(employee_b):
    own = log_in_limited(browser(), employee_b, trust=True)
    KnownBrowser.objects.update(created_at=timezone.now() - timedelta(days=settings.LOGIN_KNOWN_BROWSER_DAYS - 1))
    _close_by_ceiling(employee_b.login_id)
    assert password_taken(own, employee_b.login_id, PASSWORD, "203.0.113.81")  # still within
    KnownBrowser.objects.update(created_at=timezone.now() - timedelta(days=settings.LOGIN_KNOWN_BROWSER_DAYS + 1))
    assert not password_taken(own, employee_b.login_id, PASSWORD, "203.0.113.82")
    mail.outbox.clear()
    log_in_limited(own, employee_b, REMOTE_ADDR=HOME)
    assert len(notices(employee_b)) == 1  # an expired trust is a new browser


def test_logging_out_drops_the_trust_unless_kept(employee_b, temp_b):
    """A shared PC: the one who logs out is no longer vouched for; the one who ticked
    「このブラウザを信頼する」 is, and so is anyone who has not logged out."""
    shared = log_in_limited(browser(), employee_b)
    shared.post("/accounts/logout/")
    log_in_limited(shared, temp_b, trust=True)
    shared.post("/accounts/logout/")
    _close_by_ceiling(employee_b.login_id)
    _close_by_ceiling(temp_b.login_id)
    assert not password_taken(shared, employee_b.login_id, PASSWORD, "203.0.113.83")
    assert password_taken(shared, temp_b.login_id, PASSWORD, "203.0.113.84")
    assert not KnownBrowser.objects.filter(user=employee_b).exists()
    mail.outbox.clear()
    log_in_limited(shared, employee_b, REMOTE_ADDR=HOME)
    assert len(notices(employee_b)) == 1  # no trust left: a new browser to them


def test_every_logout_counts_the_console_and_a_timeout_too(admin_a, employee_b):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.helpers import code_for, post_code

    console = browser()
    post_login(console, admin_a.login_id)
    assert post_code(console, code_for(TOTPDevice.objects.get(user=admin_a))).status_code == 302
    assert KnownBrowser.objects.filter(user=admin_a).exists()
    console.post("/admin/logout/")
    assert not KnownBrowser.objects.filter(user=admin_a).exists()

    import time

    from accounts.sessions.lifetime import LAST_SEEN_SESSION_KEY

    idle = log_in_limited(browser(), employee_b)
    session = idle.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - settings.SESSION_LIMITED_IDLE_SECONDS - 60
    session.save()
    idle.get("/")  # the idle timeout, noticed at the next request
    assert not KnownBrowser.objects.filter(user=employee_b).exists()


def test_a_malformed_id_with_the_cookie_is_refused_plainly(employee_b):
    own = log_in_limited(browser(), employee_b, trust=True)
    for login_id in ("B1000001\x00", "B" * 150):
        response = post_login(own, login_id, "Wrong-password-1")
        assert response.status_code == 200 and 'name="auth-username"' in response.content.decode()
    assert KnownBrowser.objects.get(user=employee_b).failures == 0


def test_the_checkbox_is_on_the_login_page(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'name="auth-trust_browser"' in html and "このブラウザを信頼する" in html
    assert "共用のパソコンではチェックしないでください" in html
    assert 'type="checkbox"' in html and "checked" not in html.split('name="auth-trust_browser"')[1][:40]
