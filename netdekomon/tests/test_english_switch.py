"""The English switch: pages in English, Japanese by default, mails always Japanese.

The catalogues themselves are checked in test_i18n_catalogues.py.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from attendance.models import AttendanceRequest
from attendance.services import request_decide
from tests.helpers import post_login, session_full, session_limited, session_password_only

def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_english(html, present, absent):
    assert '<html lang="en">' in html
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html, text


def test_login_page_and_choice_in_english(client, employee_b):
    switch_to_english(client)
    assert_english(page(client, "/accounts/login/"),
                   ["Log in", "Login ID", "Password", "FAQ", "Language"],
                   ["ログイン", "パスワード", "よくあるご質問", "言語"])
    html = post_login(client, employee_b.login_id).content.decode()
    assert_english(html, ["Two-factor authentication: choose how to log in", "Use all features",
                          "Clock in/out and view payslips only", "Cancel"],
                   ["ログイン選択", "すべての機能を利用する", "キャンセル"])
    html = post_login(client, "B9999999", "wrong").content.decode()
    assert "The login ID or password is incorrect." in html and "正しくありません" not in html


def test_full_portal_in_english(client, admin_a):
    switch_to_english(client)
    session_full(client, admin_a)
    assert_english(page(client, "/"),
                   ["Portal", "All features", "Net de Attendance", "Clock in/out", "Requests", "Net de Payslips",
                    "Two-factor authentication settings", "Change password", "Administration", "Log out"],
                   ["ポータル", "すべての機能", "打刻", "届出申請", "パスワード変更", "管理画面", "ログアウト"])


def test_limited_portal_in_english(client, employee_b):
    switch_to_english(client)
    session_limited(client, employee_b)
    assert_english(page(client, "/"),
                   ["Clock in/out and payslips only", "Code required", "View payslips",
                    "Use all features (enter the authentication code)"],
                   ["就業打刻・明細閲覧のみ", "要認証", "明細閲覧", "認証コード"])


def test_setup_page_in_english(client, fresh_a):
    switch_to_english(client)
    session_password_only(client, fresh_a)
    assert_english(page(client, "/accounts/setup/"),
                   ["Scan the QR code", "Get the app", "Copy key", "Enter a setup key", "Enter the 6-digit code shown",
                    "Register"],
                   ["QRコード", "キーをコピー", "登録する", "認証コード"])


def test_punch_page_in_english_with_an_english_date(client, employee_b):
    switch_to_english(client)
    session_limited(client, employee_b)
    html = page(client, "/attendance/")
    assert_english(html, ["Clock in", "Clock out", "Start break", "Today's punches", "Monthly timesheet"],
                   ["出勤", "退勤", "休憩", "本日の打刻", "年"])
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]+ \d{1,2}, \d{4}", html)


def test_japanese_by_default(client, employee_b, fresh_a):
    assert "ログインID" in page(client, "/accounts/login/")
    html = post_login(client, employee_b.login_id).content.decode()
    assert "二要素認証 ログイン選択" in html and "すべての機能を利用する" in html
    session_limited(client, employee_b)
    html = page(client, "/")
    assert '<html lang="ja">' in html and "就業打刻・明細閲覧のみ" in html and "要認証" in html
    assert "Portal" not in html and "Code required" not in html
    html = page(client, "/attendance/")
    assert "出勤" in html and "本日の打刻" in html and re.search(r"\d{4}年\d{1,2}月\d{1,2}日（.）", html)
    session_password_only(client, fresh_a)
    html = page(client, "/accounts/setup/")
    assert "QRコードを読み取る" in html and "アプリを用意" in html and "Scan the QR code" not in html


def test_switching_back_to_japanese(client, employee_b):
    switch_to_english(client)
    session_limited(client, employee_b)
    assert "Code required" in page(client, "/")
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert "要認証" in page(client, "/")


def test_mails_stay_japanese_when_the_administrator_works_in_english(admin_a, employee_b, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    """The recipient's language is not known (the switch is a browser cookie): mails are Japanese."""
    from datetime import date

    item = AttendanceRequest.objects.create(user=employee_b, kind=AttendanceRequest.Kind.LEAVE,
                                            start_date=date.today(), reason="私用")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert request_decide(item=item, approve=True, actor=admin_a, note="")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "休暇" in mail.subject and "承認" in mail.subject
    assert "Leave" not in mail.subject + mail.body and "Approved" not in mail.subject + mail.body
