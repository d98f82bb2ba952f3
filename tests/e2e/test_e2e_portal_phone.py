"""The portal, the login choice and the help page on a 320 px phone: nothing
wider than the screen, every icon and account link on it (issue 3)."""

import pytest

from .conftest import shot
from .flows import log_in, signed_in

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


PHONE_375 = {"width": 375, "height": 667}
DESKTOP_1280 = {"width": 1280, "height": 800}


def _log_in_full(browser_factory, user, viewport):
    phone = viewport is PHONE_375
    page = browser_factory(viewport, **({"is_mobile": True, "has_touch": True} if phone else {}))
    return signed_in(page, user)


@pytest.mark.parametrize("viewport", [PHONE_375, DESKTOP_1280], ids=["phone", "desktop"])
def test_small_slips_month_remarks_and_address_done_are_readable(browser_factory, employee_b, viewport):
    """Issue 26 ⑪: 備考 of the month table on the screen at 375 px (no sideways scrolling);
    the labels of a 住所変更's 完了 page on one line; the favicon on every page."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from attendance.forms import new_punch_token
    from attendance.models import TOKYO, Punch, work_date_of
    from reception.tests.factories import make_address_change

    # The work day before today's (a work day starts at DAY_CHANGE, not at midnight), 出勤 at 9:00 and no 退勤.
    yesterday = work_date_of(timezone.now()) - timedelta(days=1)
    Punch.objects.create(user=employee_b, kind=Punch.Kind.IN, punched_at=datetime.combine(yesterday, time(9), TOKYO),
                         work_date=yesterday, token=new_punch_token())
    submission = make_address_change(employee_b)
    detail = submission.address_change  # every label the 完了 page can show, the longest included
    detail.building, detail.address_kana = "テストマンション101", "トウキョウト チヨダク チヨダ 1-1"
    detail.previous_address = "大阪府大阪市北区梅田1-1"
    detail.save()
    page = _log_in_full(browser_factory, employee_b, viewport)
    width = viewport["width"]

    page.goto(page.base + f"/attendance/month/{yesterday.year}/{yesterday.month}/")
    note = page.locator("#month-table").get_by_text("退勤の打刻なし")
    note.scroll_into_view_if_needed()
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"備考 off-screen: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('.table-scroll').scrollWidth"
                         " <= document.querySelector('.table-scroll').clientWidth"), "the month table scrolls sideways"
    shot(page, f"26-month-remarks-{width}", full_page=False)

    page.goto(page.base + f"/reception/{submission.pk}/")
    lines = page.evaluate("""[...document.querySelectorAll('table.list th[scope=row]')].map(th => {
        const range = document.createRange(); range.selectNodeContents(th);
        return [th.innerText, new Set([...range.getClientRects()].map(r => Math.round(r.top))).size]; })""")
    assert len(lines) >= 4 and all(count == 1 for _label, count in lines), f"labels wrap: {lines}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"26-address-done-{width}", full_page=False)
    icons = page.evaluate("[...document.querySelectorAll('link[rel=icon]')].map(l => l.href)")
    assert any(href.endswith(".svg") for href in icons)
    assert page.request.get(icons[0]).ok
