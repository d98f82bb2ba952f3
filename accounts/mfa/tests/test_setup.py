"""2FA setup (初期設定): the QR code, the key, the otpauth URI and the first code."""

import re
from urllib.parse import unquote, urlsplit

import pyotp
import pytest
import zxingcpp
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from accounts.mfa.otp import qr_svg
from tests.helpers import code_for, post_code, post_login, session_full, session_password_only
from accounts.login.tests.test_bad_input import errors_of

SCALE = 4  # pixels per QR module when rasterising


def rasterise(svg: str):
    """The SVG of ``qr_svg`` (one rectangle per run of dark modules) as a grayscale buffer zxing-cpp can read."""
    width, height = (int(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    pixels = bytearray(b"\xff" * (width * SCALE * height * SCALE))
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    squares = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H(\d+)z", path)
    assert len(squares) == path.count("z") and squares
    for x0, y0, x1, y1, _x in squares:
        for y in range(int(y0) * SCALE, int(y1) * SCALE):
            row = y * width * SCALE
            pixels[row + int(x0) * SCALE:row + int(x1) * SCALE] = b"\x00" * ((int(x1) - int(x0)) * SCALE)
    return memoryview(pixels).cast("B", (height * SCALE, width * SCALE)), width


def decode_qr(svg: str) -> str:
    image, _ = rasterise(svg)
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, "QR code not readable"
    return found[0].text


def start_setup(client, user):
    session_password_only(client, user)
    response = client.get("/accounts/setup/")
    assert response.status_code == 200
    return response


def post_setup(client, code):
    return client.post("/accounts/setup/", {"setup_view-current_step": "generator", "generator-token": code})


def test_qr_decodes_to_the_otpauth_uri(client, fresh_a):
    response = start_setup(client, fresh_a)
    html = response.content.decode()
    svg = re.search(r'<div class="qr-box"[^>]*>(<svg.*?</svg>)', html, re.S).group(1)
    uri = decode_qr(svg)
    assert uri == response.context["otpauth_url"]
    assert f'href="{uri.replace("&", "&amp;")}"' in html  # tap-to-add link

    totp = pyotp.parse_uri(uri)
    secret = response.context["secret_key"]
    assert (totp.issuer, totp.name, totp.secret, totp.digits, totp.interval) == (
        "ネットde顧問", "A1000003", secret, 6, 30)
    assert totp.digest().name == "sha1"

    parts = urlsplit(uri)
    label = unquote(parts.path.lstrip("/"))
    issuer_param = unquote(re.search(r"[?&]issuer=([^&]+)", uri).group(1))
    assert label == f"{issuer_param}:A1000003"  # prefix equals issuer, no space after the colon
    assert "%E3%83%8D" in uri  # percent-encoded UTF-8
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)  # 20 bytes, base32 without padding
    assert f'data-copy="{secret}"' in html


def test_qr_fits_a_phone_and_keeps_its_quiet_zone(client, fresh_a):
    svg = start_setup(client, fresh_a).context["qr_svg"]
    tag = re.match(r"<svg[^>]*>", svg).group(0)
    assert "viewBox=" in tag
    assert not re.search(r"\s(width|height)=", tag)
    _, modules = rasterise(svg)
    squares = re.findall(r"M(\d+),(\d+)H", svg)
    assert min(int(x) for x, _ in squares) == 4 and min(int(y) for _, y in squares) == 4
    assert max(int(x) for x, _ in squares) == modules - 5  # 4 white modules on every side


def test_configured_issuer_is_used_everywhere(settings, client, fresh_a):
    settings.OTP_TOTP_ISSUER = "Acme 顧問"
    uri = decode_qr(start_setup(client, fresh_a).context["qr_svg"])
    totp = pyotp.parse_uri(uri)
    assert totp.issuer == "Acme 顧問" and totp.name == "A1000003"
    assert urlsplit(uri).path == "/Acme%20%E9%A1%A7%E5%95%8F:A1000003"


def test_setup_is_never_cached(client, fresh_a):
    response = start_setup(client, fresh_a)
    assert "no-store" in response["Cache-Control"]
    response = post_setup(client, "000000")
    assert "no-store" in response["Cache-Control"]


def test_each_setup_attempt_gets_a_fresh_secret_and_a_reload_keeps_it(client, fresh_a):
    first = start_setup(client, fresh_a).context["secret_key"]
    assert client.get("/accounts/setup/").context["secret_key"] == first
    other = start_setup(Client(), fresh_a).context["secret_key"]
    assert other != first


def test_setup_completes_only_with_a_code_of_the_new_secret(client, fresh_a):
    secret = start_setup(client, fresh_a).context["secret_key"]
    stranger = pyotp.random_base32(32)
    response = post_setup(client, pyotp.TOTP(stranger).now())
    assert "認証コードが正しくありません" in errors_of(response)
    assert not TOTPDevice.objects.filter(user=fresh_a).exists()

    before = client.cookies["sessionid"].value
    response = post_setup(client, pyotp.TOTP(secret).now())
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=fresh_a)
    assert device.confirmed and code_for(device) == pyotp.TOTP(secret).now()
    assert client.cookies["sessionid"].value != before  # session key rotated
    assert client.get("/").status_code == 200  # verified: the full portal
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SETUP, user=fresh_a).count() == 1


def test_setup_code_cannot_be_replayed_at_login(client, fresh_a):
    secret = start_setup(client, fresh_a).context["secret_key"]
    code = pyotp.TOTP(secret).now()
    assert post_setup(client, code).status_code == 302
    other = Client()
    post_login(other, "A1000003")
    response = post_code(other, code)
    assert response.status_code == 200
    assert "この認証コードは使用済みです" in errors_of(response)  # refused, and said truthfully
    assert other.get("/").status_code == 302


def test_user_with_a_device_never_sees_a_secret(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    b32 = _b32(device)
    for login in (session_password_only, session_full):
        login(client, employee_a)
        response = client.get("/accounts/setup/", follow=True)
        html = response.content.decode()
        assert b32 not in html and "otpauth://" not in html and "<svg" not in html
        response = post_setup(client, code_for(device))
        assert response.status_code == 302
        assert TOTPDevice.objects.filter(user=employee_a).count() == 1


def _b32(device):
    import base64
    from binascii import unhexlify

    return base64.b32encode(unhexlify(device.key)).decode().rstrip("=")


def test_anonymous_setup_goes_to_login(client, db):
    response = client.get("/accounts/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_first_login_of_an_a_id_leads_to_setup(client, fresh_a):
    response = post_login(client, "A1000003", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/setup/")
    assert "2要素認証 初期設定" in response.content.decode()


@pytest.mark.parametrize("uri_account", ["A1000001", "B9Z9Z9Z9"])
def test_qr_svg_round_trips_any_uri(uri_account):
    uri = TOTPDevice(user=User(login_id=uri_account), key="48656c6c6f21deadbeef48656c6c6f21deadbeef").config_url
    assert decode_qr(qr_svg(uri)) == uri


def test_setup_form_attributes_and_japanese_steps(client, fresh_a):
    html = start_setup(client, fresh_a).content.decode()
    tag = re.search(r'<input[^>]*name="generator-token"[^>]*>', html).group(0)
    assert 'autocomplete="one-time-code"' in tag and 'inputmode="numeric"' in tag
    for text in ("2要素認証 初期設定", "認証コード（6桁）", "キーをコピー", "セットアップキーを入力", "時間ベース"):
        assert text in html


@pytest.mark.parametrize("shape", ["full-width", "one-space"])
def test_setup_accepts_the_code_as_people_type_it(client, fresh_a, shape):
    code = pyotp.TOTP(start_setup(client, fresh_a).context["secret_key"]).now()
    typed = (code.translate(str.maketrans("0123456789", "０１２３４５６７８９")) if shape == "full-width"
             else f"{code[:3]} {code[3:]}")
    assert post_setup(client, typed).status_code == 302
    assert TOTPDevice.objects.filter(user=fresh_a).count() == 1
