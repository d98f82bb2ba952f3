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


def test_the_watch_reports_a_violation_once_per_distinct_page(chromium):
    """The fixture's watch catches a serious violation on load, checks a page it has seen
    again only when its structure changed (an element, a class), and never lets one-time
    tokens or other text (names, dates) make pages distinct."""
    import time
    import uuid
    from urllib.parse import urlsplit

    from . import axe
    from .conftest import DESKTOP, _open

    base = f"http://axe-{uuid.uuid4().hex[:8]}.test"  # paths no other test of this run has seen
    page_html = ('<!doctype html><html lang="ja"><title>確認</title><body><main><h1>確認</h1>'
                 '<img src="/logo.png"><form><input type="hidden" name="token" value="{token}"></form>'
                 '<p class="{style}">{text}</p></main></body></html>')
    bodies = {"/same": lambda: page_html.format(token=uuid.uuid4().hex, text=uuid.uuid4().hex, style="note"),
              "/changed": lambda: page_html.format(token=uuid.uuid4().hex, text="同じ内容",
                                                   style=f"note-{uuid.uuid4().hex[:6]}")}
    reports = []
    context = _open(chromium, DESKTOP)
    try:
        axe.watch(context, reports)
        context.route(f"{base}/**", lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8",
            body=bodies.get(urlsplit(route.request.url).path, lambda: "")()))
        browser = context.new_page()

        def visit(path, *, reports_after):
            browser.goto(base + path)
            deadline = time.monotonic() + 10
            while len(reports) < reports_after and time.monotonic() < deadline:
                browser.wait_for_timeout(100)
            browser.wait_for_timeout(500)  # time for a check that should not happen

        visit("/same", reports_after=1)
        visit("/same", reports_after=1)  # a new token and other text, the same structure: not checked again
        visit("/changed", reports_after=2)
        visit("/changed", reports_after=3)  # another class: checked
    finally:
        context.close()
    assert [r["url"] for r in reports] == ["/same", "/changed", "/changed"]
    assert all("image-alt" in [v["id"] for v in r["violations"]] for r in reports)


def test_the_check_leaves_out_only_rules_that_report_at_most_moderate(chromium):
    """axe-core runs the rules that can find a serious or critical violation (contrast,
    names, labels, ARIA, zoom) and leaves out those that never report more than moderate."""
    from . import axe
    from .conftest import DESKTOP, _open

    context = _open(chromium, DESKTOP)
    try:
        page = context.new_page()
        page.set_content('<!doctype html><html lang="ja"><title>確認</title><body><p>確認</p></body></html>')
        page.evaluate(axe._axe_source())
        selected = page.evaluate(axe._RULES)
        enabled = page.evaluate("axe._audit.rules.filter(rule => rule.enabled).map(rule => rule.id)")
    finally:
        context.close()
    assert selected["type"] == "rule"
    rules = set(selected["values"])
    for serious in ("color-contrast", "image-alt", "label", "button-name", "aria-valid-attr-value",
                    "meta-viewport", "html-has-lang", "link-name"):
        assert serious in rules, serious
    for moderate in ("region", "heading-order", "landmark-one-main", "page-has-heading-one"):
        assert moderate not in rules and moderate in enabled, moderate
    assert len(rules) >= len(enabled) * 2 // 3
