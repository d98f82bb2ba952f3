"""Temporary passwords in a real browser: a B-ID in the limited mode sees one banner
and changes from it (code first); an A-ID is taken to 「仮パスワードの変更」 after the code."""

import pytest

from tests import helpers
from tests.helpers import PASSWORD, code_for

from .conftest import PHONE, shot
from .flows import enter_code, log_in

pytestmark = pytest.mark.e2e
NEW = "Sakura-Hanami-2027"


def change_temporary_password(page):
    assert page.get_by_role("heading", name="仮パスワードの変更").is_visible()
    page.get_by_label("仮パスワード", exact=True).fill(PASSWORD)
    page.get_by_label("新しいパスワード", exact=True).fill(NEW)
    page.get_by_label("新しいパスワード（確認）").fill(NEW)
    with page.expect_navigation():
        page.get_by_role("button", name="変更する").click()


def test_b_id_changes_from_the_limited_mode_banner(browser_factory, temp_b):
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    log_in(page, "B1000003")
    with page.expect_navigation():
        page.get_by_role("button", name="就業打刻・明細閲覧のみ利用する").click()
    banner = page.locator("#temporary-password-banner")
    assert banner.count() == 1 and page.locator(".messages").count() == 0
    assert "パスワードを変更してください" in banner.inner_text()
    shot(page, "27-temporary-banner", full_page=False)
    with page.expect_navigation():
        banner.get_by_role("link").click()
    enter_code(page, code_for(temp_b.totpdevice_set.get()))  # the change needs the code
    shot(page, "28-temporary-change", full_page=False)
    change_temporary_password(page)
    assert page.url == page.base + "/"
    temp_b.refresh_from_db()
    assert not temp_b.password_is_temporary and temp_b.check_password(NEW)


def test_a_id_is_taken_to_the_change_after_the_code(page, acme):
    user = helpers.make_user("A1000008", acme, name="仮 八郎", device=True, temporary=True)
    log_in(page, "A1000008")
    enter_code(page, code_for(user.totpdevice_set.get()))
    assert page.url.startswith(page.base + "/accounts/password/")
    assert page.locator("#temporary-password-banner").count() == 0
    assert "すべての機能を利用する" not in page.locator("main").inner_text()
    change_temporary_password(page)
    assert page.url == page.base + "/"
    assert page.get_by_text("パスワードを変更しました。").is_visible()
