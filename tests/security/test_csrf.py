"""CSRF is enforced on every POST endpoint: a cross-site form can change nothing."""

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import session_full

from .endpoints import admin_urls, project_urls

# The one POST a cross-site form makes by design: the identity provider's answer to the
# single sign-on ACS. No token can come with it; the session's own outstanding request
# (InResponseTo) and the provider's signature stand for it (test_sso_attacks.py).
CROSS_SITE_BY_DESIGN = {"/sso/x/acs/"}


def test_every_post_without_a_token_is_refused(admin_a, employee_b):
    client = session_full(Client(enforce_csrf_checks=True), admin_a)
    urls = project_urls() + admin_urls()
    assert "/accounts/security/reset/" in urls and "/accounts/login/" in urls
    assert CROSS_SITE_BY_DESIGN <= set(urls)
    urls = [url for url in urls if url not in CROSS_SITE_BY_DESIGN]
    accepted = {}
    for url in urls:
        for data in ({}, {"csrfmiddlewaretoken": "forged-token-value-0123456789abcdef0123456789ab"}):
            status = client.post(url, data).status_code
            if status != 403:
                accepted[url] = status
    assert accepted == {}, f"POST without a valid CSRF token was not refused: {accepted}"
    # Nothing happened: still logged in, the 2FA device is still there.
    assert client.session.get("_auth_user_id") == str(admin_a.pk)
    assert TOTPDevice.objects.filter(user=admin_a).exists()


def test_anonymous_posts_are_refused_too(client, employee_b):
    client = Client(enforce_csrf_checks=True)
    for url in ("/accounts/login/", "/accounts/verify/", "/accounts/setup/", "/i18n/setlang/",
                "/accounts/logout/"):
        assert client.post(url, {"auth-username": "B1000001"}).status_code == 403, url
