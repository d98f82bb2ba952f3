"""Error pages in a real browser: Japanese, in the site's layout, with the way on (DEBUG off, as in production)."""

import pytest

from licensing.services import licence_set

from .conftest import DESKTOP, PHONE, shot
from .flows import log_in, signed_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_unused_product_is_a_japanese_404_with_the_way_to_the_portal(browser_factory, employee_a, acme, viewport):
    licence_set(tenant=acme, product_code="reception", in_use=False)
    page = browser_factory(viewport)
    signed_in(page, employee_a)
    response = page.goto(page.base + "/reception/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", name="ページが見つかりません").is_visible()
    assert "Not Found" not in page.content()
    shot(page, "21-error-404" if viewport is DESKTOP else "22-error-404-phone", full_page=False)
    with page.expect_navigation():
        page.get_by_role("link", name="ポータルへ").click()
    assert page.url == page.base + "/"


def test_admin_is_a_403_page_for_an_employee(page, employee_a):
    signed_in(page, employee_a)
    response = page.goto(page.base + "/admin/")
    assert response.status == 403
    assert page.get_by_text("管理画面は会社の管理者のみ利用できます。").is_visible()
    assert page.get_by_role("link", name="ポータルへ").is_visible()


def test_login_from_a_stale_tab_shows_the_login_again(browser_factory, employee_b):
    page = browser_factory()
    stale = page.context.new_page()
    stale.goto(page.base + "/accounts/login/")  # left open in a second tab
    log_in(page, "B1000001")  # the first tab logs in (the CSRF token changes at the login)
    with page.expect_navigation():
        page.get_by_role("button", name="就業打刻・明細閲覧のみ利用する").click()
    stale.get_by_label("ログインID").fill("B1000001")
    stale.get_by_label("パスワード").fill("whatever")
    with stale.expect_navigation():
        stale.locator("main").get_by_role("button", name="ログイン", exact=True).click()
    assert stale.get_by_text("画面の有効期限が切れたため、もう一度ログインしてください。").is_visible()
    assert stale.get_by_label("ログインID").is_visible()
    assert "DEBUG" not in stale.content()
    shot(stale, "23-stale-login")
