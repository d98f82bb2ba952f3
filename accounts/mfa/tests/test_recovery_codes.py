"""回復コード: issued by the employee after their own password, shown once, kept
hashed; one logs in at the code step as a right code would, is good once, is
mailed, and leads to setting the phone up again; wrong ones count towards the
code's back-off; the company can turn them off; a reset removes them."""

import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.identity import login_policy
from accounts.mfa import recovery
from accounts.models import RecoveryCode, RecoveryCodes, SecurityEvent
from accounts.people import services
from tests.helpers import PASSWORD, code_for, post_code, post_login, session_full, session_limited

URL = "/accounts/security/recovery-codes/"


def issued(client, user) -> list[str]:
    session_full(client, user)
    page = client.post(URL, {"password": PASSWORD}).content.decode()
    return re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", page)


def post_recovery(client, code):
    return client.post("/accounts/login/", {"login_view-current_step": "token", "token-recovery": code})


@pytest.fixture
def codes(client, employee_a):
    found = issued(client, employee_a)
    mail.outbox.clear()
    return found


def test_issued_after_the_own_password_shown_once_and_kept_hashed(client, employee_a):
    session_full(client, employee_a)
    assert "回復コードを発行" in client.get("/accounts/security/").content.decode()
    wrong = client.post(URL, {"password": "not-mine-12345"}).content.decode()
    assert "パスワードが正しくありません" in wrong and "<code>" not in wrong
    codes = issued(client, employee_a)
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert re.fullmatch(r"([2-9A-HJ-NP-Z]{4}-){3}[2-9A-HJ-NP-Z]{4}", code), code  # 16 of 32 symbols: 80 bits
    rows = list(RecoveryCode.objects.values_list("lookup", "digest"))
    stored = " ".join(f"{lookup} {digest}" for lookup, digest in rows)
    assert not any(code.replace("-", "") in stored or code in stored for code in codes), "never kept as they are"
    assert all(re.match(r"^\w+\$", digest) for _, digest in rows), "password hashes (algorithm$…)"
    assert [m.subject for m in mail.outbox] == ["【ネット de 顧問】回復コードが発行されました"]
    assert not any(code in mail.outbox[0].body for code in codes), "the codes are never mailed"
    assert "残り 10 個" in client.get("/accounts/security/").content.decode()


def after_the_back_off(user):
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def test_issuing_again_ends_the_old_codes(client, employee_a, codes):
    fresh = issued(client, employee_a)
    browser = Client()
    post_login(browser, "A1000002")
    assert post_recovery(browser, codes[0]).status_code == 200, "an old code is refused"
    after_the_back_off(employee_a)  # the refusal counted as a wrong code
    assert post_recovery(browser, fresh[0]).status_code == 302


def test_a_code_logs_in_once_is_mailed_and_leads_to_setting_up_again(employee_a, codes):
    browser = Client()
    page = post_login(browser, "A1000002").content.decode()
    assert "スマートフォンが手元にない場合（回復コード）" in page
    response = post_recovery(browser, codes[0].lower().replace("-", " "))  # as people type it
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    security = browser.get("/accounts/security/").content.decode()
    assert "回復コードで認証しました（残り 9 個）" in security and "2要素認証を初期化する" in security
    success = SecurityEvent.objects.filter(user=employee_a, kind="login_success").latest("pk")
    assert success.data["method"] == "recovery"
    [notice] = [m for m in mail.outbox if "回復コード" in m.subject]
    assert notice.subject == "【ネット de 顧問】回復コードでログインがありました" and "残りの回復コードは 9 個" in notice.body

    again = Client()
    post_login(again, "A1000002")
    reused = post_recovery(again, codes[0])
    assert reused.status_code == 200 and "使用済み" in reused.content.decode()


def test_wrong_codes_count_towards_the_codes_back_off(employee_a, codes):
    browser = Client()
    post_login(browser, "A1000002")
    wrong = post_recovery(browser, "2222-2222-2222-2222")
    assert "回復コードが正しくないか、使用済みです" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=employee_a).throttling_failure_count == 1
    assert SecurityEvent.objects.filter(user=employee_a, kind="code_failure").exists()
    held = post_recovery(browser, codes[1])  # within the back-off even the right code waits
    assert held.status_code == 200 and "一時的に入力を受け付けていません" in held.content.decode()
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 0, "nothing spent while held"


def test_the_only_administrator_gets_back_in_without_the_vendor(admin_a):
    """Their phone is gone: password + 回復コード, then the 2FA reset, then a new phone."""
    console = Client()
    codes = issued(console, admin_a)
    browser = Client()
    post_login(browser, "A1000001")
    assert post_recovery(browser, codes[3]).status_code == 302
    response = browser.post("/accounts/security/reset/", {"password": PASSWORD})
    assert response["Location"].startswith("/accounts/setup/")
    assert not RecoveryCodes.objects.filter(user=admin_a).exists(), "the reset removes the codes too"


def test_a_step_up_takes_a_code(employee_b):
    codes = issued(Client(), employee_b)
    limited = session_limited(Client(), employee_b)
    assert "回復コード" in limited.get("/accounts/verify/").content.decode()
    response = limited.post("/accounts/verify/", {"recovery": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    assert SecurityEvent.objects.filter(user=employee_b, kind="step_up").latest("pk").data == {"method": "recovery"}


def test_a_company_can_turn_them_off(client, employee_a, admin_a, acme, codes):
    login_policy.login_policy_set(tenant=acme, passwordless=False, recovery_codes=False, actor=admin_a)
    browser = Client()
    page = post_login(browser, "A1000002").content.decode()
    assert "回復コード" not in page
    assert post_recovery(browser, codes[0]).status_code == 200, "refused"
    assert "会社の設定により、回復コードは使えません" in client.get(URL).content.decode()
    after_the_back_off(employee_a)  # the refused code counted as a wrong one
    assert post_code(browser, code_for(TOTPDevice.objects.get(user=employee_a))).status_code == 302


def test_normalize_reads_codes_as_people_type_them():
    assert recovery.normalize("abcd-efgh-jkmn-pqrs") == "ABCDEFGHJKMNPQRS"
    assert recovery.normalize("ＡＢＣＤ ＥＦＧＨ ＪＫＭＮ ＰＱＲＳ") == "ABCDEFGHJKMNPQRS"
    assert recovery.normalize("ABCD-EFGH-JKMN-PQR0") is None  # 0 is not in the alphabet
    assert recovery.normalize("ABCD") is None


def test_reissuing_after_a_code_login_keeps_that_session(employee_a, codes):
    browser = Client()
    post_login(browser, "A1000002")
    assert post_recovery(browser, codes[0]).status_code == 302
    page = browser.post(URL, {"password": PASSWORD}).content.decode()
    assert len(re.findall(r"<li><code>", page)) == 10
    assert browser.get("/attendance/requests/").status_code == 200, "still verified: no code spent again"


def test_japanese_dashes_are_read_and_a_malformed_code_is_not_a_guess(employee_a, codes):
    browser = Client()
    post_login(browser, "A1000002")
    typo = post_recovery(browser, "ABC")
    assert "英数字16文字です" in typo.content.decode()
    assert TOTPDevice.objects.get(user=employee_a).throttling_failure_count == 0
    assert post_recovery(browser, codes[0].replace("-", "ー")).status_code == 302


def test_the_spent_code_is_not_kept_in_the_session(employee_a, codes):
    from django.contrib.sessions.models import Session

    browser = Client()
    post_login(browser, "A1000002")
    post_recovery(browser, codes[0])
    stored = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    assert codes[0] not in stored and codes[0].replace("-", "") not in stored
