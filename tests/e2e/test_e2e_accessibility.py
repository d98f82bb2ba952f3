"""axe-core in both languages: the pages a newcomer meets, switched to English
(every page of every browser test is also checked, in Japanese, by the fixture)."""

import pytest

from tests.helpers import PASSWORD, code_for

from .axe import check
from .conftest import PHONE

pytestmark = pytest.mark.e2e


def test_english_pages_are_accessible(browser_factory, employee_a):
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("言語").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="切替").click()
    assert page.locator("html").get_attribute("lang") == "en"
    for path in ("/accounts/login/", "/help/", "/no-such-page/"):
        page.goto(page.base + path)
        assert page.locator("html").get_attribute("lang") == "en"
        check(page)
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("Login ID").fill("A1000002")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Log in").click()
    check(page)  # the code step
    enter_code_en(page, code_for(employee_a.totpdevice_set.get()))
    for path in ("/", "/attendance/requests/new/", "/reception/new/bank/"):
        page.goto(page.base + path)
        check(page)


def enter_code_en(page, code):
    field = page.locator("input[autocomplete=one-time-code]")
    field.fill(code)
    with page.expect_navigation():
        field.press("Enter")
