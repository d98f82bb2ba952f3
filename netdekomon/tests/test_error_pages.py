"""The site's error pages under production settings (DEBUG off), and the demo's (DEBUG on).

Every one is in the site's layout, Japanese unless switched, and offers the
way on; Django's technical pages only with DEBUG_TECHNICAL_PAGES.
"""

import pytest
from django.test import Client
from django.urls import path

from kit.access import Access, access
from netdekomon import urls as project_urls
from licensing.services import licence_set
from tests.helpers import PASSWORD, session_full, session_limited


@access(Access.PUBLIC)
def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project_urls.urlpatterns]
handler400, handler403, handler404 = project_urls.handler400, project_urls.handler403, project_urls.handler404


def html_of(response) -> str:
    return response.content.decode()


def assert_site_page(html, *texts):
    assert '<html lang="ja">' in html and 'class="site-header"' in html and 'class="site-footer"' in html
    for text in texts:
        assert text in html, text
    assert "DEBUG" not in html and "Traceback" not in html and "Not Found" not in html


def test_404_of_an_unused_product_for_an_employee(client, employee_b, acme):
    licence_set(tenant=acme, product_code="reception", in_use=False)
    session_full(client, employee_b)
    response = client.get("/reception/")
    assert response.status_code == 404
    assert_site_page(html_of(response), "ページが見つかりません", 'href="/">ポータルへ</a>')


def test_404_for_an_anonymous_visitor_leads_to_the_login(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page(html_of(response), "ページが見つかりません", 'href="/accounts/login/">ログイン画面へ</a>')


def test_404_in_english_when_switched(client, db):
    client.cookies["django_language"] = "en"
    html = html_of(client.get("/no-such-page/"))
    assert '<html lang="en">' in html and "Page not found" in html and "Go to the login page" in html
    assert "ページが見つかりません" not in html


def test_admin_refuses_an_employee_with_the_403_page(client, employee_a):
    session_full(client, employee_a)
    for url in ("/admin/", "/admin/accounts/user/", "/admin/login/?next=/admin/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert_site_page(html_of(response), "この画面は利用できません", "管理画面は会社の管理者のみ利用できます。",
                         'href="/">ポータルへ</a>')


def test_admin_login_keeps_next_to_the_admin(client, admin_a):
    response = client.get("/admin/login/")
    assert response["Location"] == "/accounts/login/?next=/admin/login/"  # the access middleware first
    session_full(client, admin_a)
    assert client.get("/admin/login/")["Location"] == "/admin/"
    assert client.get("/admin/login/?next=/admin/accounts/user/")["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/admin/"


def test_admin_login_of_an_anonymous_visitor_returns_to_the_admin(rf, db):
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/admin/login/")
    request.user = AnonymousUser()
    assert admin.site.login(request)["Location"] == "/accounts/login/?next=/admin/"


def test_a_plain_permission_denied_shows_the_general_text(client, employee_b):
    session_full(client, employee_b)
    response = client.get("/payslips/import/sample.csv")
    if response.status_code != 403:
        pytest.skip("no admin-only page to try")
    assert_site_page(html_of(response), "この画面を利用する権限がありません。")


@pytest.mark.urls("netdekomon.tests.test_error_pages")
def test_500_is_the_site_page_without_details(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = html_of(response)
    assert "ただいま処理できません" in html and 'href="/">ポータルへ戻る</a>' in html
    assert "RuntimeError" not in html and "a bug" not in html
    footer = html.split('<footer class="site-footer">')[1].split("</footer>")[0]
    assert "よくあるご質問" in footer and "·" not in footer, "no language switch: no separator left dangling"


def test_the_footer_separates_the_help_link_from_the_language_switch(client, db):
    footer = html_of(client.get("/accounts/login/")).split('<footer class="site-footer">')[1].split("</footer>")[0]
    assert footer.index("よくあるご質問") < footer.index("·") < footer.index('name="language"')


def test_400_offers_a_reload(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="bad host")
    assert response.status_code == 400
    assert_site_page(html_of(response), "リクエストを処理できません", "再読み込み")


def test_stale_login_tab_shows_the_login_again(db, employee_b):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/accounts/login/?next=/attendance/")
    stale = browser.cookies["csrftoken"].value
    browser.cookies["csrftoken"] = "x" * 32  # the token rotated by a login in another tab
    response = browser.post("/accounts/login/?next=/attendance/", {
        "csrfmiddlewaretoken": stale, "login_view-current_step": "auth",
        "auth-username": employee_b.login_id, "auth-password": PASSWORD})
    assert response.status_code == 403  # nothing posted was used
    html = html_of(response)
    assert "画面の有効期限が切れたため、もう一度ログインしてください。" in html
    assert 'name="auth-username"' in html and "DEBUG" not in html
    assert "_auth_user_id" not in browser.session


def test_stale_form_elsewhere_offers_a_reload(db, employee_b):
    browser = Client(enforce_csrf_checks=True)
    session_limited(browser, employee_b)
    response = browser.post("/attendance/", {"kind": "in"})
    assert response.status_code == 403
    assert_site_page(html_of(response), "画面の有効期限が切れました", 'href="/attendance/">再読み込み</a>',
                     'href="/">ポータルへ</a>')


class TestDemo:
    """DEBUG on (``make serve``): what a newcomer clicks is what a customer sees."""

    @pytest.fixture(autouse=True)
    def demo(self, settings):
        settings.DEBUG = True
        settings.DEBUG_TECHNICAL_PAGES = False

    def test_unused_product_shows_the_site_404(self, client, employee_b, acme):
        licence_set(tenant=acme, product_code="reception", in_use=False)
        session_full(client, employee_b)
        response = client.get("/reception/")
        assert response.status_code == 404
        assert_site_page(html_of(response), "ページが見つかりません")
        assert "URLconf" not in html_of(response)

    def test_unknown_url_shows_the_site_404(self, client, db):
        assert_site_page(html_of(client.get("/no-such-page/")), "ページが見つかりません")

    @pytest.mark.urls("netdekomon.tests.test_error_pages")
    def test_500_shows_the_site_page(self, db):
        response = Client(raise_request_exception=False).get("/boom/")
        assert response.status_code == 500 and "ただいま処理できません" in html_of(response)
        assert "RuntimeError" not in html_of(response)

    def test_developers_may_ask_for_the_technical_pages(self, client, db, settings):
        settings.DEBUG_TECHNICAL_PAGES = True
        assert "URLconf" in html_of(client.get("/no-such-page/"))


def test_reload_link_never_leaves_the_site(client):
    import re

    from django.test import RequestFactory

    from netdekomon.errors import bad_request

    for path in ("//evil.example/x", "/\\evil.example/x", "///evil.example/"):
        request = RequestFactory().get("/")
        request.path = request.path_info = path  # as a server passes such a path on
        html = bad_request(request).content.decode()
        reload_href = re.search(r'href="([^"]*)">再読み込み', html).group(1)
        assert reload_href.startswith("/") and reload_href[1] not in "/\\", (path, reload_href)
