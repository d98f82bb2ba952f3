"""Every page refuses framing (clickjacking), MIME sniffing and cross-site referrers;
pages with a secret or a code are never cached."""

from django.test import Client

from tests.helpers import session_full, session_password_only

from .endpoints import project_urls


def test_every_page_carries_the_protective_headers(admin_a, employee_b):
    client = session_full(Client(), admin_a)
    missing = {}
    for url in project_urls():
        if url.endswith("/logout/"):
            continue
        response = client.get(url)
        headers = {name: response.get(name) for name in
                   ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")}
        if headers != {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                       "Referrer-Policy": "same-origin"}:
            missing[url] = headers
    assert missing == {}


def test_setup_and_code_pages_are_not_cached(client, fresh_a, employee_b):
    session_password_only(client, fresh_a)
    assert "no-store" in client.get("/accounts/setup/")["Cache-Control"]
    other = session_password_only(Client(), employee_b)
    response = other.get("/accounts/verify/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
