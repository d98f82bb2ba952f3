"""The portal, the login choice and the help page on a 320 px phone: nothing
wider than the screen, every icon and account link on it (issue 3)."""

import pytest

from .conftest import shot
from .flows import log_in

pytestmark = pytest.mark.e2e

SMALLEST_PHONE = {"width": 320, "height": 568}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= SMALLEST_PHONE["width"]


def inside(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SMALLEST_PHONE["width"]


def test_limited_portal_fits_a_320px_phone(browser_factory, employee_b):
    page = browser_factory(SMALLEST_PHONE, is_mobile=True, has_touch=True)
    log_in(page, "B1000001")
    assert fits(page), "the login choice is wider than the phone"
    for name in ["すべての機能を利用する", "就業打刻・明細閲覧のみ利用する", "キャンセル"]:
        assert inside(page, page.get_by_role("button", name=name)), name
    with page.expect_navigation():
        page.get_by_role("button", name="就業打刻・明細閲覧のみ利用する").click()
    assert page.url == page.base + "/", f"landed on {page.url} ({page.title()}), not the portal"
    assert fits(page), "the portal is wider than the phone"
    assert page.locator("#mode").inner_text() == "就業打刻・明細閲覧のみ"
    tiles = page.locator("[data-product]")
    assert tiles.count() == 3
    for index in range(tiles.count()):
        assert inside(page, tiles.nth(index)), index
    for name in ["2要素認証の設定", "パスワード変更", "よくあるご質問"]:
        assert inside(page, page.locator("main").get_by_role("link", name=name, exact=True)), name
    assert inside(page, page.locator("main").get_by_role("button", name="ログアウト"))
    shot(page, "20-portal-limited-320")
    page.goto(page.base + "/help/")
    assert fits(page), "the help page is wider than the phone"
