"""「会社のアカウントでログイン」 in a real browser at 375 px: the login ID typed, the company's
provider (the pysaml2 test provider behind a tiny HTTP server of the test's own, on another
site than the service), its signed answer posted across sites to the ACS, the portal."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sso.models import SECOND_FACTOR_UNLESS_MFA
from sso.tests import flow
from sso.tests.idp import MFA_CONTEXT
from tests.e2e.conftest import DESKTOP, PHONE, shot
from tests.e2e.flows import enter_code, log_in
from tests.helpers import code_for

pytestmark = pytest.mark.e2e

PROVIDER_PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>テストIdP サインイン</title></head>
<body><main><h1>テストIdP</h1><form method="post" action="{acs}">
<input type="hidden" name="SAMLResponse" value="{response}"><input type="hidden" name="RelayState" value="{relay}">
<button type="submit">サインイン</button></form></main></body></html>"""


def fits(page, viewport) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.fixture
def provider_site():
    """A tiny web server for the provider's sign-in page (127.0.0.1: another site than localhost)."""
    state = {}

    class SignIn(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's name)
            idp, base = state["idp"], state["base"]
            request = idp.authn_request(state["url"] + self.path[len("/sso"):])
            xml = idp.response_xml(in_response_to=request.id, destination=f"{base}/sso/acme/acs/",
                                   audience=f"{base}/sso/acme/metadata/", name_id=state["name_id"],
                                   context=MFA_CONTEXT)
            relay = parse_qs(urlsplit(self.path).query).get("RelayState", [""])[0]
            body = PROVIDER_PAGE.format(acs=f"{base}/sso/acme/acs/", response=idp.encoded(xml),
                                        relay=html.escape(relay)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SignIn)
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/sso"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def test_company_account_login_through_the_provider_to_the_portal_on_a_phone(
        browser_factory, live_server, provider_site, acme, employee_a):
    flow.need_xmlsec1()
    idp = flow.provider(acme, host=urlsplit(live_server.url).netloc, sso_url=provider_site["url"])
    provider_site.update(idp=idp, base=live_server.url, name_id="A1000002")
    flow.connect(acme, idp, second_factor=SECOND_FACTOR_UNLESS_MFA)
    page = browser_factory(PHONE)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/sso/acme/acs/" in r.url else None)
    try:
        page.goto(page.base + "/accounts/login/")
        page.get_by_label("ログインID").fill("A1000002")
        assert fits(page, PHONE)
        shot(page, "60-sso-login-375")
        with page.expect_navigation(url=f"{provider_site['url']}**"):
            page.get_by_role("button", name="会社のアカウントでログイン").click()
        with page.expect_navigation(url=page.base + "/"):
            page.get_by_role("button", name="サインイン").click()  # across sites: our page posts it again
        assert len(posts) == 2  # the provider's post came without the session cookie (SameSite=Lax): re-posted
        assert fits(page, PHONE)
        shot(page, "61-sso-portal-375")
        assert page.goto(page.base + "/accounts/history/").status == 200
        assert "シングルサインオン" in page.locator("main").inner_text()
    finally:
        idp.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_console_page_fits_a_phone_and_a_desktop(browser_factory, acme, admin_a, viewport):
    page = browser_factory(viewport)
    log_in(page, "A1000001")
    enter_code(page, code_for(TOTPDevice.objects.get(user=admin_a)))
    assert page.goto(page.base + "/admin/sso/ssosettings/").status == 200
    assert page.get_by_label("証明書（X.509、Base64）").is_visible()
    assert page.get_by_role("button", name="保存").is_visible()
    assert fits(page, viewport)
    shot(page, f"62-sso-console-{viewport['width']}")
