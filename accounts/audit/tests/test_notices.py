"""The security mails are worded once, by their kind (event_kinds.KINDS[kind].mail),
and read from the recorded event: what the employee receives, through the
locmem outbox."""

import datetime

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from accounts.audit import notices
from accounts.event_kinds import KINDS, Kind
from accounts.models import SecurityEvent
from accounts.people import services
from tests.helpers import make_user

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
MAILED = {Kind.PASSWORD_CHANGED, Kind.TEMP_PASSWORD_ISSUED, Kind.RESET, Kind.NEW_DEVICE,
          Kind.PASSKEY_ADDED, Kind.PASSKEY_REMOVED,  # every authenticator bound or removed is notified
          Kind.RECOVERY_CODES_ISSUED, Kind.RECOVERY_CODE_USED}


@pytest.fixture
def yamada(acme):
    # A name with the characters an HTML template would escape: a plain-text mail must not.
    return make_user("A2000001", acme, name="山田 & O'Brien", email="yamada@example.jp", device=True)


def only_mail():
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    return mail.outbox[0]


def latest(kind):
    return SecurityEvent.objects.filter(kind=kind).latest("created_at")


def test_exactly_the_kinds_the_employee_must_hear_of_are_mailed():
    assert {kind for kind, entry in KINDS.items() if entry.mail is not None} == MAILED


def test_a_new_device_mail_in_full(yamada):
    at = datetime.datetime(2026, 4, 1, 0, 15, tzinfo=datetime.UTC)  # 09:15 in Tokyo
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=IPHONE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: at)
        assert services.user_notify_new_device(user=yamada, request=request) is True
    sent = only_mail()
    assert sent.to == ["yamada@example.jp"]
    assert sent.subject == "【ネット de 顧問】新しい端末からログインがありました"
    assert sent.body == (
        "山田 & O'Brien 様\n\n"
        "ネット de 顧問（ログインID: A2000001）に、これまでログインに使われていない端末（ブラウザ）からログインがありました。\n\n"
        "日時: 2026年4月1日 09:15\n"
        "IPアドレス: 203.0.113.9\n"
        "ブラウザ / OS / 端末: Mobile Safari 17・iOS 17・スマートフォン\n\n"
        "ご本人のログインであれば、このメールへの対応は不要です。\n\n"
        "お心当たりがない場合は、パスワードと認証コードが第三者に知られているおそれがあります。\n"
        "至急、会社の管理者に連絡し、2要素認証の初期化と仮パスワードの発行を依頼してください。\n"
        "ログイン中の端末は「ログイン中の端末」の画面からログアウトさせることもできます。\n\n"
        "-- \nネット de 顧問\n")


def test_the_password_changed_mail_is_the_registrys_words_for_the_event(yamada):
    services.user_change_password(user=yamada, new_password="Another-horse-7-battery")
    sent, event = only_mail(), latest(Kind.PASSWORD_CHANGED)
    notice = KINDS[Kind.PASSWORD_CHANGED].mail
    assert sent.subject == f"【ネット de 顧問】{notice.subject}"
    assert notice.opening(event) in sent.body
    assert "のパスワードが" in sent.body and "に変更されました。" in sent.body
    assert "Another-horse-7-battery" not in sent.body
    assert sent.body.endswith("お心当たりがない場合は、至急、会社の管理者にご連絡ください。\n\n-- \nネット de 顧問\n")


def test_the_temporary_password_mail_names_its_expiry_and_never_the_password(yamada, admin_a):
    temporary = services.user_issue_temporary_password(user=yamada, actor=admin_a)
    sent = only_mail()
    yamada.refresh_from_db()
    expiry = timezone.localtime(yamada.password_expires_at).strftime("%Y年%-m月%-d日 %H:%M")
    assert sent.subject == "【ネット de 顧問】仮パスワードが発行されました"
    assert f"有効期限は {expiry} です。" in sent.body
    assert "管理者により発行されました。" in sent.body
    assert temporary not in sent.body


def test_the_reset_mail_says_who_reset(yamada, admin_a):
    services.user_reset_2fa(user=yamada, actor=admin_a)
    assert "管理者の操作で初期化されました。" in only_mail().body
    mail.outbox.clear()
    services.user_reset_2fa(user=yamada, actor=yamada)
    body = only_mail().body
    assert "ご自身の操作で初期化されました。" in body
    assert "認証アプリへの登録（初期設定）をやり直してください。" in body
    mail.outbox.clear()
    services.user_reset_2fa(user=yamada, actor=None)  # no recorded actor: never 「ご自身」
    assert "管理者の操作で初期化されました。" in only_mail().body


def test_the_reset_mail_says_the_passkeys_went_too(yamada, admin_a):
    from accounts.models import Passkey

    for number in (1, 2):
        Passkey.objects.create(user=yamada, name=f"鍵{number}", credential_id=bytes([number]) * 16,
                                          public_key=b"k", confirmed=True)
    services.user_reset_2fa(user=yamada, actor=admin_a)
    assert "登録されていたパスキー（2件）も削除されました。" in only_mail().body
    assert not Passkey.objects.filter(user=yamada).exists()
    reset = SecurityEvent.objects.filter(kind=Kind.RESET).latest("pk")
    assert reset.data["passkeys"] == 2


def test_no_address_no_mail_and_the_event_is_still_recorded(acme):
    nobody = make_user("A2000002", acme)
    nobody.email = ""
    nobody.save(update_fields=["email"])
    services.user_change_password(user=nobody, new_password="Another-horse-7-battery")
    assert mail.outbox == []
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=nobody).count() == 1


def test_a_kind_without_a_mail_is_refused_rather_than_mailed_blank(yamada):
    event = SecurityEvent.objects.create(kind=Kind.LOGIN_SUCCESS, user=yamada, data={"method": "code"})
    with pytest.raises(ValueError, match="not mailed"):
        notices.mail_event(event)
    assert mail.outbox == []


@pytest.mark.parametrize("kind", sorted(MAILED))
def test_every_mail_is_japanese_whatever_the_language_of_the_page(yamada, admin_a, kind):
    from django.utils import translation

    event = SecurityEvent.objects.create(kind=kind, user=yamada, actor=admin_a, login_id=yamada.login_id,
                                         ip_address="203.0.113.9", user_agent=IPHONE)
    with translation.override("en"):
        assert notices.mail_event(event) is True
    body = only_mail().body
    assert "様" in body and "スマートフォン" in body if kind == Kind.NEW_DEVICE else "様" in body
    assert "Phone" not in body and "Unknown" not in body
