"""Bad input on every form of the login, setup, code and password pages:
a clear Japanese form error, never a 500 (the test client re-raises
server errors) and never a success."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import (
    PASSWORD, code_for, post_login, session_full, session_password_only,
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

BAD = {
    "empty": "",
    "10000 chars": "9" * 10_000,
    "non-ASCII": "山田太郎①",
    "NUL byte": "12\x003456",
    "spaced pairs": "12 34 56",
    "two spaces": "123  456",
    "letters": "12345a",
    "five digits": "12345",
    "seven digits": "1234567",
    "emoji": "😀😀😀😀😀😀",
}


def errors_of(response) -> str:
    """The text of every form error on the page."""
    html = response.content.decode()
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S))


def assert_japanese_error(response):
    assert response.status_code == 200
    text = errors_of(response)
    assert text, "no form error shown"
    assert JAPANESE.search(text), f"error not in Japanese: {text!r}"


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("field", ["auth-username", "auth-password"])
def test_login_step(client, employee_a, field, value):
    data = {"login_view-current_step": "auth", "auth-username": "A1000002", "auth-password": PASSWORD}
    data[field] = value
    response = client.post("/accounts/login/", data)
    assert_japanese_error(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_choice_step(client, employee_b, value):
    post_login(client, "B1000001")
    response = client.post("/accounts/login/", {"login_view-current_step": "choice", "choice-mode": value})
    assert_japanese_error(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_code_step(client, employee_a, value):
    post_login(client, "A1000002")
    response = client.post("/accounts/login/", {"login_view-current_step": "token", "token-otp_token": value})
    assert_japanese_error(response)
    assert "_auth_user_id" not in client.session
    # A malformed code is not a guess: it does not count towards throttling.
    assert TOTPDevice.objects.get(user=employee_a).throttling_failure_count == 0


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_code_step_shows_one_error(client, employee_a, value):
    post_login(client, "A1000002")
    response = client.post("/accounts/login/", {"login_view-current_step": "token", "token-otp_token": value})
    assert errors_of(response).count("<li>") == 1


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_setup_form(client, fresh_a, value):
    session_password_only(client, fresh_a)
    client.get("/accounts/setup/")
    response = client.post("/accounts/setup/", {"setup_view-current_step": "generator", "generator-token": value})
    assert_japanese_error(response)
    assert not TOTPDevice.objects.filter(user=fresh_a).exists()


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_verify_form(client, employee_b, value):
    session_password_only(client, employee_b)
    response = client.post("/accounts/verify/", {"otp_token": value, "next": "/"})
    assert_japanese_error(response)
    assert client.get("/accounts/verify/").status_code == 200  # still not verified


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("field", ["old_password", "new_password1", "new_password2"])
def test_password_change_form(client, employee_a, field, value):
    session_full(client, employee_a)
    data = {"old_password": PASSWORD, "new_password1": "Brand-new-pass-42", "new_password2": "Brand-new-pass-42"}
    data[field] = value
    response = client.post("/accounts/password/", data)
    assert_japanese_error(response)
    employee_a.refresh_from_db()
    assert employee_a.check_password(PASSWORD)


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_own_password_form_of_self_reset(client, employee_a, value):
    session_full(client, employee_a)
    response = client.post("/accounts/security/reset/", {"password": value})
    assert_japanese_error(response)
    assert TOTPDevice.objects.filter(user=employee_a).exists()


@pytest.mark.parametrize("step", ["", "x" * 10_000, "token", "choice", "\x00"])
def test_tampered_wizard_step_cannot_skip_the_password(client, employee_a, step):
    device = TOTPDevice.objects.get(user=employee_a)
    response = client.post("/accounts/login/", {
        "login_view-current_step": step, "token-otp_token": code_for(device), "choice-mode": "full",
    })
    assert response.status_code in (200, 400)
    assert "_auth_user_id" not in client.session


def test_missing_management_form_is_a_bad_request(client, employee_a):
    response = client.post("/accounts/login/", {"auth-username": "A1000002", "auth-password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


# -- hostile bodies: any charset, content type, encoding or size -----------------------------

FORM = "application/x-www-form-urlencoded"
BODIES = {
    "utf-16 charset": (f"{FORM}; charset=utf-16", b"login_view-current_step=auth&auth-username=A1&auth-password=x"),
    "utf-32 charset": (f"{FORM}; charset=utf-32", b"auth-username=A1"),
    "unknown charset": (f"{FORM}; charset=x-nonsense", b"auth-username=A1"),
    "cp932 charset": (f"{FORM}; charset=shift_jis", "auth-username=山田".encode("cp932")),
    "invalid percent-encoding": (FORM, b"auth-username=%zz%ff%fe%&auth-password=%"),
    "NUL and controls": (FORM, b"auth-username=A1%00%01%1b&auth-password=\x00\x07"),
    "too many fields": (FORM, b"&".join(b"f%d=1" % i for i in range(2000))),
    "multipart without boundary": ("multipart/form-data", b"--x\r\n"),
    "broken multipart": ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data\r\n\r\n"),
    "json": ("application/json", b'{"auth-username": "A1"}'),
    "binary": ("application/octet-stream", bytes(range(256)) * 4),
}


@pytest.mark.parametrize("content_type, body", BODIES.values(), ids=BODIES.keys())
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/", "/attendance/"])
def test_hostile_bodies_never_answer_500(db, employee_b, url, content_type, body):
    # With the CSRF check on, as in production: the check reads the body, and so did
    # the error page after it (a 500 from gunicorn for a charset=utf-16 login).
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/accounts/login/")
    response = client.generic("POST", url, body, content_type=content_type,
                              HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code in (200, 302, 400, 403), response.status_code
    if response.status_code in (400, 403):
        assert JAPANESE.search(response.content.decode())


# -- hostile files: every upload field of every page ------------------------------------------

def _hostile_files() -> dict[str, tuple[str, bytes]]:
    import io
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (101 * 1024 * 1024))
    return {
        "NUL in a cell": ("a.csv", "ログインID,氏名\r\nB1\x00,x\r\n".encode()),
        "UTF-16 without BOM": ("a.csv", "ログインID,氏名\r\n".encode("utf-16-le")),
        "not text at all": ("a.csv", bytes(range(256)) * 64),
        "trailing empty cells": ("a.csv", ("ログインID,支給年月,支給:基本給" + "," * 200_000 + "\r\n").encode()),
        "one huge cell": ("a.csv", b'"' + b"x" * 300_000 + b'"\r\n'),
        "a broken .xlsx": ("a.xlsx", b"PK\x03\x04" + b"\x00" * 200),
        "a zip bomb": ("a.xlsx", bomb.getvalue()),
        "an old .xls": ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500),
        "empty": ("a.csv", b""),
    }


HOSTILE_FILES = _hostile_files()
FILE_FIELD = re.compile(r'<input[^>]*type="file"[^>]*name="([^"]+)"|<input[^>]*name="([^"]+)"[^>]*type="file"')


def upload_pages():
    """(URL, file field) of every page the project has that offers an upload, the console's too."""
    from tests.security.endpoints import every_url

    return [url for url in every_url() if not url.endswith(("/delete/", "/logout/"))]


@pytest.mark.parametrize("name", HOSTILE_FILES.keys())
def test_every_upload_field_answers_hostile_files_with_a_japanese_message(db, admin_a, employee_b, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.helpers import session_full

    client = session_full(Client(raise_request_exception=False), admin_a)
    filename, data = HOSTILE_FILES[name]
    seen = 0
    for url in upload_pages():
        page = client.get(url)
        if page.status_code != 200 or 'type="file"' not in page.content.decode(errors="replace"):
            continue
        for match in FILE_FIELD.finditer(page.content.decode()):
            field = match.group(1) or match.group(2)
            seen += 1
            response = client.post(url, {field: SimpleUploadedFile(filename, data)})
            assert response.status_code < 500, f"{response.status_code} on {url}"
            assert JAPANESE.search(errors_of(response) + response.content.decode()), url
    assert seen >= 2, "both imports offer an upload"
