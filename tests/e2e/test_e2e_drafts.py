"""Drafts of 各種届出 in a real browser (issue 20 §4): kept while the login session
lasts, gone from the browser on the first page of the site after it ends, however
it ended — the console's logout, a timeout, ended from another device or by an
administrator, a logout from the office-address refusal page. And the 住所変更 form itself on a
phone (issue 26): the address fills in from the postal code, with and without JavaScript, from
this server only, and what the employee typed stays."""

import pytest

from accounts.sessions import office_ip
from accounts.people import services
from reception.models import AddressChange

from .conftest import PHONE, shot
from .flows import signed_in

pytestmark = pytest.mark.e2e
FORM = "/reception/new/address/"
ADDRESS = "東京都千代田区千代田1-1 テストマンション101"


def storage(page) -> str:
    """Everything this site keeps in the browser's storage, as one text."""
    return page.evaluate("() => JSON.stringify({local: {...localStorage}, session: {...sessionStorage}})")


def assert_no_draft(page):
    kept = storage(page)
    assert ADDRESS not in kept and "netdekomon:draft:" not in kept, kept


def type_a_draft(page, user):
    signed_in(page, user, go=FORM)
    page.get_by_label("町名・番地").fill(ADDRESS)
    assert ADDRESS in storage(page), "the draft is kept while the session lasts"


@pytest.fixture
def short_idle(settings):
    settings.SESSION_IDLE_SECONDS = 6  # the notice a second after the page, the login page 8 s after it
    settings.SESSION_WARNING_SECONDS = 5


def test_a_draft_is_restored_while_the_session_lasts(browser_factory, employee_a):
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    type_a_draft(page, employee_a)
    page.goto(page.base + "/")
    page.goto(page.base + FORM)
    assert page.get_by_label("町名・番地").input_value() == ADDRESS
    assert page.get_by_text("前回入力した内容を復元しました。").is_visible()


def test_console_logout(page, admin_a):
    type_a_draft(page, admin_a)
    page.goto(page.base + "/admin/")
    with page.expect_navigation():
        page.locator("#logout-form").get_by_role("button").click()
    assert_no_draft(page)


def test_timeout(page, employee_a, short_idle):
    type_a_draft(page, employee_a)
    page.wait_for_url("**/accounts/login/?next=/reception/new/address/", timeout=20_000)
    assert page.get_by_text("一定時間操作がなかったため、ログアウトしました。").is_visible()
    assert_no_draft(page)


def test_ended_from_another_device(browser_factory, employee_a):
    page = browser_factory()
    type_a_draft(page, employee_a)
    other = browser_factory()
    signed_in(other, employee_a, code_at=__import__("time").time() + 30, go="/accounts/sessions/")
    with other.expect_navigation():
        other.locator("#sessions li:not(.current)").get_by_role("button", name="ログアウト").click()
    page.goto(page.base + "/")  # this browser's next page
    assert page.url.startswith(page.base + "/accounts/login/")
    assert_no_draft(page)


def test_ended_by_an_administrator(page, employee_a, admin_a):
    type_a_draft(page, employee_a)
    services.user_issue_temporary_password(user=employee_a, actor=admin_a, notify=False)
    page.reload()
    assert page.url.startswith(page.base + "/accounts/login/")
    assert_no_draft(page)


def test_logout_from_the_office_address_refusal_page(page, acme, employee_a):
    type_a_draft(page, employee_a)
    office_ip.access_rule_set(tenant=acme, enabled=True, networks=["192.0.2.0/24"], limited_anywhere=False)
    assert page.reload().status == 403
    with page.expect_navigation():
        page.locator("#office-ip-refused").get_by_role("button", name="ログアウトしてログイン画面へ").click()
    assert page.url.startswith(page.base + "/accounts/login/")
    assert_no_draft(page)


def test_the_next_user_of_a_shared_browser_finds_no_draft(page, employee_a, employee_b):
    """A draft left by a session that ended without any page of the site since
    (the tab was closed) is removed by the next person's first page."""
    type_a_draft(page, employee_a)
    page.context.clear_cookies()  # the session cookie is gone; localStorage stays
    page.goto(page.base + "/accounts/login/")
    assert_no_draft(page)


def open_address_form(browser_factory, user, **options):
    page = browser_factory(PHONE, is_mobile=True, has_touch=True, **options)
    signed_in(page, user, go=FORM)
    return page


def test_the_address_fills_in_from_the_postal_code_on_a_phone(browser_factory, employee_a):
    page = open_address_form(browser_factory, employee_a)
    elsewhere = []
    page.on("request", lambda request: None if request.url.startswith(page.base) else elsewhere.append(request.url))
    page.get_by_label("建物名・部屋番号").fill("テストマンション１０１")  # typed first: stays
    page.get_by_label("郵便番号").press_sequentially("１００－０００１")
    page.get_by_text("「東京都千代田区千代田」を入力しました").wait_for()
    assert page.get_by_label("都道府県").input_value() == "東京都"
    assert page.get_by_label("市区町村").input_value() == "千代田区"
    assert page.get_by_label("町名・番地").input_value() == "千代田"
    assert page.get_by_label("住所（フリガナ）").input_value() == "トウキョウトチヨダクチヨダ"
    assert page.get_by_label("建物名・部屋番号").input_value() == "テストマンション１０１"
    for label, more in (("町名・番地", "１－１"), ("住所（フリガナ）", " 1-1")):  # typed after what was filled in
        page.get_by_label(label).press("End")
        page.get_by_label(label).press_sequentially(more)
    page.get_by_label("変更前の住所").fill("〒150-0001 東京都渋谷区神宮前1-2-3")
    page.get_by_label("転居日").fill("2026-11-01")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "60-address-from-postal-code-phone")  # axe-core: nothing serious
    assert elsewhere == [], "the lookup stays on this server"
    # The draft keeps what the lookup filled in, like anything typed.
    assert "千代田区" in storage(page)
    with page.expect_navigation():
        page.get_by_label("建物名・部屋番号").press("Enter")  # Enter goes on to 確認, not to the lookup
    assert page.get_by_role("button", name="送信する").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="送信する").click()
    change = AddressChange.objects.get(submission__user=employee_a)
    assert change.summary() == "〒100-0001 東京都千代田区千代田1-1 テストマンション101"
    assert page.get_by_text("〒100-0001 東京都千代田区千代田1-1 テストマンション101").is_visible()


def test_without_javascript_the_button_fills_the_address(browser_factory, employee_a):
    page = open_address_form(browser_factory, employee_a, java_script_enabled=False)
    page.get_by_label("町名・番地").fill("丸の内1-1")
    page.get_by_label("郵便番号").fill("100-0001")
    with page.expect_navigation():
        page.get_by_role("button", name="郵便番号から住所を入力").click()
    assert page.get_by_label("都道府県").input_value() == "東京都"
    assert page.get_by_label("市区町村").input_value() == "千代田区"
    assert page.get_by_label("町名・番地").input_value() == "丸の内1-1", "typed text is not overwritten"
    assert page.get_by_text("入力済みの「町名・番地」はそのままにしています。").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
