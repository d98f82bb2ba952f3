"""Timeouts that warn, in a real browser: the notice before the idle limit, the
reason on the login page and the way back. Typed text of the timed-out session
does not outlive it (issue 20 §4): 「ログインを延長」 is the way to keep it."""

import time

import pytest

from attendance.models import AttendanceRequest
from tests.helpers import PASSWORD, code_for

from .conftest import PHONE, shot
from .flows import enter_code, signed_in

pytestmark = pytest.mark.e2e
FORM = "/attendance/requests/new/"
REASON = "年末年始に帰省するため、12月29日から休暇を申請します。"


@pytest.fixture
def short_idle(settings):
    settings.SESSION_IDLE_SECONDS = 6  # the notice a second after the page, the login page 8 s after it
    settings.SESSION_WARNING_SECONDS = 5


@pytest.fixture
def idle_with_time_to_extend(settings):
    settings.SESSION_IDLE_SECONDS = 6  # the notice 3 s after the page
    settings.SESSION_WARNING_SECONDS = 3


def test_a_timeout_warns_brings_back_and_forgets_the_typed_text(browser_factory, employee_a, short_idle):
    device = employee_a.totpdevice_set.get()
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    signed_in(page, employee_a, go=FORM)
    page.get_by_label("理由").fill(REASON)

    notice = page.locator("#session-timeout")
    notice.wait_for(state="visible", timeout=10_000)
    assert notice.get_by_text("まもなく自動的にログアウトします").is_visible()
    assert notice.get_by_role("button", name="ログインを延長").is_visible()
    shot(page, "24-timeout-notice", full_page=False)

    page.wait_for_url("**/accounts/login/?next=/attendance/requests/new/", timeout=20_000)
    assert page.get_by_text("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。").is_visible()
    shot(page, "25-timeout-login", full_page=False)
    assert REASON not in page.evaluate("JSON.stringify({...localStorage})"), "the ended session's draft is gone"

    page.get_by_label("ログインID").fill("A1000002")
    page.get_by_label("パスワード").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="ログイン", exact=True).click()
    enter_code(page, code_for(device, at=time.time() + 30))  # the next code: the first one is used
    assert page.url == page.base + FORM, "back on the page the user was on"
    assert page.get_by_label("理由").input_value() == ""


def test_typed_request_is_kept_until_sent(browser_factory, employee_a):
    """Within the login session: typed, left for another page, restored on the way back."""
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    signed_in(page, employee_a, go=FORM)
    page.get_by_label("理由").fill(REASON)
    page.goto(page.base + "/")
    page.goto(page.base + FORM)
    assert page.get_by_label("理由").input_value() == REASON
    assert page.get_by_text("前回入力した内容を復元しました。").is_visible()
    shot(page, "26-draft-restored", full_page=False)
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('netdekomon:draft:'))")
    assert keys == ["netdekomon:draft:A1000002:attendance-request"]
    stored = page.evaluate("localStorage.getItem('netdekomon:draft:A1000002:attendance-request')")
    assert "token" not in stored and "csrfmiddlewaretoken" not in stored

    send(page)
    assert AttendanceRequest.objects.get(user=employee_a).reason == REASON
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('netdekomon:draft:'))") == []


def send(page):
    """入力 → 確認 → 完了."""
    with page.expect_navigation():
        page.locator("main form[data-draft]").get_by_role("button").last.click()
    from .conftest import shot

    assert page.get_by_text("以下の内容で送信します。").is_visible()
    shot(page, "29-confirm", full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="送信する").click()
    assert page.get_by_text("完了").is_visible()


def test_extend_keeps_the_session(browser_factory, employee_a, idle_with_time_to_extend):
    page = browser_factory()
    signed_in(page, employee_a, go=FORM)
    notice = page.locator("#session-timeout")
    notice.wait_for(state="visible", timeout=10_000)
    notice.get_by_role("button", name="ログインを延長").click()
    notice.wait_for(state="hidden")
    time.sleep(4)  # past the first limit (6 s after the page): the extended session is still open
    assert page.url == page.base + FORM
    page.reload()
    assert page.url == page.base + FORM


def test_logout_forgets_drafts(page, employee_a):
    signed_in(page, employee_a, go=FORM)
    page.get_by_label("理由").fill("下書き")
    assert page.evaluate("localStorage.length") >= 1
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="ログアウト").click()
    assert page.get_by_text("ログアウトしました。").is_visible()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('netdekomon:draft:'))") == []


def test_drafts_are_removed_on_the_login_page(page, employee_a):
    """A shared PC: the login page (nobody logged in) removes every draft left in the
    browser, fresh or past the 12-hour lifetime, whoever typed it."""
    page.goto(page.base + "/accounts/login/")
    stale = int((time.time() - 13 * 3600) * 1000)
    fresh = int(time.time() * 1000)
    page.evaluate(f"""() => {{
        localStorage.setItem('netdekomon:draft:B1000099:reception-address', JSON.stringify({{at: {stale}, values: {{}}}}));
        localStorage.setItem('netdekomon:draft:B1000098:reception-address',
                             JSON.stringify({{at: {fresh}, session: 'ended', values: {{}}}}));
    }}""")
    page.goto(page.base + "/accounts/login/")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('netdekomon:draft:'))") == []
