"""Steps a person takes in the browser, shared by the end-to-end tests."""

import pyotp
from urllib.parse import parse_qs, urlparse

from tests.helpers import PASSWORD


def log_in(page, login_id: str, password: str = PASSWORD, *, screenshot: str = ""):
    from .conftest import shot

    page.goto(page.base + "/accounts/login/")
    page.get_by_label("ログインID").fill(login_id)
    page.get_by_label("パスワード").fill(password)
    if screenshot:
        shot(page, screenshot)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="ログイン", exact=True).click()


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
