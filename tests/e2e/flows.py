"""Steps a person takes in the browser, shared by the end-to-end tests."""

import time
from urllib.parse import parse_qs, urlparse

import pyotp

from tests.helpers import PASSWORD, code_for, post_choice, post_code, post_login


def log_in(page, login_id: str, password: str = PASSWORD, *, screenshot: str = ""):
    from .conftest import shot

    page.goto(page.base + "/accounts/login/")
    page.get_by_label("ログインID").fill(login_id)
    page.get_by_label("パスワード").fill(password)
    if screenshot:
        shot(page, screenshot)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="ログイン", exact=True).click()


def signed_in(page, user, *, mode: str = "full", go: str = "/", password: str = PASSWORD, code_at=None):
    """Log ``user`` in through the real login steps, sent by Django's test client
    instead of typed, and hand the resulting cookies to the browser; then open ``go``.

    For the tests whose subject is what comes after the login (the login's own
    pages are walked in tests/e2e/test_e2e_setup.py, …_limited_mode.py and the
    other login tests): about a second less than typing it, and the server records
    the same login — history, ログイン中の端末, known browser — with this browser's
    user agent. ``mode`` is "full" (password + code) or "limited" (B-IDs).
    """
    from django.test import Client

    client = Client(HTTP_USER_AGENT=page.evaluate("navigator.userAgent"), REMOTE_ADDR="127.0.0.1")
    answer = post_login(client, user.login_id, password)
    assert answer.status_code in (200, 302), answer.status_code
    if user.login_id.startswith("B"):
        answer = post_choice(client, mode)
    if mode == "full":
        device = user.totpdevice_set.get()
        answer = post_code(client, code_for(device, at=code_at if code_at is not None else time.time()))
    assert answer.status_code == 302, f"the login of {user.login_id} did not finish ({answer.status_code})"
    page.context.add_cookies([{"name": name, "value": morsel.value, "url": page.base}
                              for name, morsel in client.cookies.items() if morsel.value])
    page.goto(page.base + go)
    return page


def enter_code(page, code: str, *, screenshot: str = ""):
    from .conftest import shot

    field = page.get_by_label("認証コード（6桁）")
    field.fill(code)
    if screenshot:
        shot(page, screenshot)
    with page.expect_navigation():
        field.press("Enter")  # submits the code's own form with its default button


def totp_from_uri(uri: str) -> pyotp.TOTP:
    """The generator an authenticator app would build from the scanned URI."""
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp", uri
    params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert params.get("algorithm", "SHA1") == "SHA1" and params.get("digits", "6") == "6"
    return pyotp.TOTP(params["secret"], digits=6, interval=int(params.get("period", 30)))
