"""Small feedback: a used code said truthfully, help for a forgotten password,
distinct product icons, and the English help's label example."""

import hashlib

from django.contrib.staticfiles import finders
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from catalog.registry import products
from tests.helpers import code_for, post_code, post_login, session_limited

USED = "この認証コードは使用済みです。次のコードが表示されてから入力してください。"
WRONG = "認証コードが正しくありません。"


def test_a_used_code_is_said_to_be_used(client, employee_b):
    device = TOTPDevice.objects.get(user=employee_b)
    code = code_for(device)
    session_limited(client, employee_b)
    assert client.post("/accounts/verify/", {"otp_token": code})["Location"] == "/"
    client.post("/accounts/logout/")

    session_limited(client, employee_b)
    html = client.post("/accounts/verify/", {"otp_token": code}).content.decode()
    assert USED in html and WRONG not in html
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # still refused and counted, as django-otp does
    assert SecurityEvent.objects.filter(user=employee_b, kind="code_failure").exists()


def test_a_wrong_code_is_still_wrong(client, employee_b):
    device = TOTPDevice.objects.get(user=employee_b)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    session_limited(client, employee_b)
    html = client.post("/accounts/verify/", {"otp_token": wrong}).content.decode()
    assert WRONG in html and USED not in html


def test_a_used_code_at_the_login_code_step(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    code = code_for(device)
    post_login(client, employee_a.login_id)
    post_code(client, code)
    client.post("/accounts/logout/")
    post_login(client, employee_a.login_id)
    assert USED in post_code(client, code).content.decode()


def test_login_page_helps_with_a_forgotten_password(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "<summary>パスワードを忘れた場合</summary>" in html
    assert "会社の管理者に仮パスワードの発行を依頼してください。" in html


def test_product_icons_are_distinct():
    digests = set()
    for product in products():
        path = finders.find(product.icon)
        assert path, product.icon
        with open(path, "rb") as icon:
            digests.add(hashlib.sha256(icon.read()).hexdigest())
    assert len(digests) == len(products())


def test_english_help_keeps_the_login_id_in_the_label_example(client, db):
    client.cookies["django_language"] = "en"
    html = client.get("/help/").content.decode()
    assert "“ネットde顧問:login ID”" in html and "ネットde顧問:A1234567" in html


def test_every_page_names_the_favicon_and_it_exists(client, admin_a):
    from tests.helpers import session_full

    login = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in login and "img/favicon.svg" in login
    assert "img/favicon.svg" in session_full(client, admin_a).get("/admin/").content.decode()
    for name in ("img/favicon.svg", "img/favicon.ico", "img/apple-touch-icon.png"):
        assert finders.find(name), name
