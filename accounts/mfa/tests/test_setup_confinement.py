"""An A-ID without a device can reach nothing but setup (and the public pages),
tried on every URL pattern of the project."""

import re

import pytest
from django.urls import get_resolver

from kit.access import Access, declared_level
from accounts.checks import iter_patterns
from tests.helpers import post_login

# Pages anyone may open, logged in or not.
PUBLIC_ROUTES = {"accounts/login/", "accounts/login/passkey/", "accounts/logout/", "help/", "i18n/setlang/",
                 # single sign-on: 「会社のアカウントでログイン」, its start, the provider's answer, the metadata
                 "sso/find/", "sso/<slug:code>/login/", "sso/<slug:code>/acs/", "sso/<slug:code>/metadata/"}
# Open during setup too: 「ログインを延長」 of the timeout notice (it only restarts the idle time).
SETUP_ROUTES = {"accounts/session/extend/"}

SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x",
          "uuid": "00000000-0000-0000-0000-000000000001"}


def concrete(route):
    """A path for a route, converters filled with sample values; None when impossible."""
    if route.startswith("^") or "(?" in route or "$" in route:
        return None  # a regular expression (the admin's app index): skipped

    def fill(match):
        return SAMPLE.get(match.group(1) or "str", "<unknown>")

    path = re.sub(r"<(?:(\w+):)?\w+>", fill, route)
    return None if "<" in path else "/" + path  # a custom converter: skipped


def all_routes():
    routes = []
    for route, callback in iter_patterns(get_resolver().url_patterns):
        if route.startswith("admin/") and "<" in route:
            continue
        routes.append((route, callback))
    return routes


def test_public_views_are_only_the_known_ones():
    public = {route for route, callback in all_routes() if declared_level(callback) == Access.PUBLIC}
    assert public == PUBLIC_ROUTES


@pytest.fixture
def deviceless_a(client, fresh_a):
    response = post_login(client, "A1000003")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/setup/")
    return client


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_non_public_url_leads_to_setup(deviceless_a, method):
    tried = 0
    for route, _callback in all_routes():
        path = concrete(route)
        if route in PUBLIC_ROUTES | SETUP_ROUTES or path is None or path == "/accounts/setup/":
            continue
        response = getattr(deviceless_a, method)(path)
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"].split("?")[0] == "/accounts/setup/", (path, response["Location"])
        tried += 1
    assert tried >= 15  # portal, accounts, products, admin
    assert deviceless_a.get("/accounts/setup/").status_code == 200


def test_public_pages_stay_public(deviceless_a):
    assert deviceless_a.get("/help/").status_code == 200
    assert deviceless_a.get("/accounts/login/").status_code == 200
