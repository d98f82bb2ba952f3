"""社外からのアクセス制限 in real browsers: the refusal page and the console form, at 375 and 1280 px.

The live server sees the browser at 127.0.0.1: a rule without it makes the
browser "outside", a rule with it "in the office".
"""

import pytest

from accounts.sessions import office_ip
from accounts.models import TenantAccessRule

from .conftest import DESKTOP, PHONE, shot
from .flows import log_in, signed_in

pytestmark = pytest.mark.e2e
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def fits(page, viewport):
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@VIEWPORTS
def test_an_open_session_outside_gets_the_refusal_page(browser_factory, acme, employee_a, viewport):
    page = browser_factory(viewport)
    signed_in(page, employee_a)
    assert page.url == page.base + "/"
    office_ip.access_rule_set(tenant=acme, enabled=True, networks=["192.0.2.0/24"], limited_anywhere=False)

    response = page.reload()  # the session's next request
    assert response.status == 403
    assert page.get_by_role("heading", name="社外からのアクセスは会社の設定により制限されています").is_visible()
    assert "127.0.0.1" in page.locator("#office-ip-refused").inner_text()
    assert fits(page, viewport)
    shot(page, f"40-office-ip-refused-{viewport['width']}")
    with page.expect_navigation():
        page.locator("#office-ip-refused").get_by_role("button", name="ログアウトしてログイン画面へ").click()
    assert page.url.startswith(page.base + "/accounts/login/")
    log_in(page, "A1000002")  # from outside, the right password meets the restriction
    assert page.locator(".errorlist").get_by_text("社外からのアクセスは会社の設定により制限されています").is_visible()


@VIEWPORTS
def test_the_administrator_sets_the_restriction_in_the_console(browser_factory, acme, admin_a, viewport):
    page = browser_factory(viewport)
    signed_in(page, admin_a, go="/admin/")
    assert "制限なし（どこからでも利用できます）" in page.locator(".console-security").inner_text()
    with page.expect_navigation():
        page.locator("#office-ip-link").click()
    assert page.get_by_role("heading", name="社外からのアクセス制限").first.is_visible()
    page.get_by_label("社外からのアクセスを制限する").check()
    page.get_by_label("アクセスを許可するIPアドレス").fill("192.0.2.0/24\n2001:db8::/48")
    page.get_by_label("就業打刻・明細閲覧は社外からも許可する").check()
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert page.get_by_text("現在お使いのアドレス（127.0.0.1）が含まれていません").is_visible()
    assert not TenantAccessRule.objects.filter(tenant=acme).exists()
    assert fits(page, viewport)
    shot(page, f"41-office-ip-lockout-{viewport['width']}")

    page.get_by_label("アクセスを許可するIPアドレス").fill("192.0.2.0/24\n2001:db8::/48\n127.0.0.1")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert page.locator(".messagelist").get_by_text("社外からのアクセス制限を保存しました").is_visible()
    rule = TenantAccessRule.objects.get(tenant=acme)
    assert rule.enabled and rule.limited_anywhere and rule.network_lines == ["192.0.2.0/24", "2001:db8::/48", "127.0.0.1"]
    assert fits(page, viewport)
    shot(page, f"42-office-ip-console-{viewport['width']}")
