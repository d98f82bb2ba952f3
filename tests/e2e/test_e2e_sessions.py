"""ログイン中の端末 in real browsers: a phone in the limited mode, ended from a PC with the code."""

import pytest
from django.utils import timezone

from accounts.models import UserSession

from .conftest import DESKTOP, PHONE, shot
from .flows import signed_in

pytestmark = pytest.mark.e2e
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")


def test_ending_the_phones_session_from_the_pc(browser_factory, employee_b):
    phone = browser_factory(PHONE, is_mobile=True, has_touch=True, user_agent=IPHONE)
    signed_in(phone, employee_b, mode="limited")
    assert phone.url == phone.base + "/"

    pc = browser_factory(DESKTOP)
    signed_in(pc, employee_b)
    with pc.expect_navigation():
        pc.get_by_role("link", name="ログイン中の端末").click()
    assert pc.url == pc.base + "/accounts/sessions/"
    entries = pc.locator("#sessions > li")
    assert entries.count() == 2
    assert pc.locator("#sessions li.current").get_by_text("この端末").is_visible()
    other = pc.locator("#sessions li:not(.current)")
    assert "就業打刻・明細閲覧のみ" in other.inner_text() and "スマートフォン" in other.inner_text()
    shot(pc, "20-sessions")

    with pc.expect_navigation():
        other.get_by_role("button", name="ログアウト").click()
    assert pc.locator(".messages").get_by_text("選んだ端末をログアウトしました").is_visible()
    assert pc.locator("#sessions > li").count() == 1
    assert UserSession.objects.filter(user=employee_b).count() == 1

    phone.reload()  # the phone's next request
    assert phone.url.startswith(phone.base + "/accounts/login/")
    pc.reload()
    assert pc.url == pc.base + "/accounts/sessions/"


def test_sessions_page_on_a_phone(browser_factory, employee_a):
    phone = browser_factory(PHONE, is_mobile=True, has_touch=True, user_agent=IPHONE)
    signed_in(phone, employee_a, go="/accounts/sessions/")
    assert phone.get_by_role("heading", name="ログイン中の端末").is_visible()
    assert "Mobile Safari 17・iOS 17・スマートフォン" in phone.locator("#sessions").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "no sideways scrolling on a phone"
    shot(phone, "21-sessions-phone")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_login_history_in_words(browser_factory, employee_a, viewport):
    from accounts.audit import events

    events.record(None, events.Kind.LOGIN_FAILURE, user=employee_a)
    employee_a.last_login = timezone.now()  # not the account's first login: this browser is new to it
    employee_a.save(update_fields=["last_login"])
    page = browser_factory(viewport, user_agent=IPHONE)
    signed_in(page, employee_a)
    with page.expect_navigation():
        page.get_by_role("link", name="ログイン履歴").click()
    text = page.locator("#history").inner_text()
    assert "認証コードでログイン（すべての機能）" in text and "ログイン失敗（パスワード誤り）" in text
    # One entry for the login, saying the browser was new (issue 26 ⑥): not a line of its own.
    assert page.locator("#history > li").count() == 2
    assert "・新しい端末から（本人にメールでお知らせ）" in text and "新しい端末からのログイン" not in text
    assert "Mobile Safari 17・iOS 17・スマートフォン" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"22-history-{viewport['width']}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_security_log_reads_as_sentences(browser_factory, admin_a, employee_b, viewport):
    """Issue 26 ⑥: the console's security log has one line for a login, with the person's
    name and login ID and how they logged in; no step of the login on a line of its own."""
    employee_b.last_login = timezone.now()
    employee_b.save(update_fields=["last_login"])
    employee = browser_factory(PHONE, is_mobile=True, has_touch=True, user_agent=IPHONE)
    signed_in(employee, employee_b)

    page = browser_factory(viewport)
    signed_in(page, admin_a, go="/admin/accounts/securityevent/")
    assert page.get_by_role("heading", name="セキュリティログ一覧").is_visible()
    rows = page.locator("#result_list tbody tr").filter(has_text="鈴木 花子（B1000001）")
    assert rows.count() == 1
    line = rows.first.inner_text()
    assert "認証コードでログイン（すべての機能）・新しい端末から（本人にメールでお知らせ）" in line
    assert "Mobile Safari 17・iOS 17・スマートフォン" in line
    listed = page.locator("#result_list").inner_text()
    for step in ("利用範囲の選択", "認証コード成功", "新しい端末のお知らせ", "ステップアップ"):
        assert step not in listed
    shot(page, f"23-security-log-{viewport['width']}", full_page=False)
