"""Property-based bad input (hypothesis) over every form and query parameter: never a 500.

Every URL of the project is fetched in a session verified with the code (a
company administrator, who reaches everything); the names of the fields of
the forms on the page are collected, and random values — any Unicode, NUL,
huge strings, numbers that overflow, several values for one field — are
posted to them and sent as query parameters. The login wizard is fuzzed
anonymously. The admin's pages get random query parameters (search, order,
page, filters); its delete pages are not posted to.
"""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.helpers import session_full

from .endpoints import admin_urls, project_urls

FUZZ = hsettings(max_examples=5, deadline=None, database=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = ["\x00", "a\x00b", "-1", "0", "1e309", "9" * 400, "NaN", "[]", "{}", "null", "２０２６",
         "2026-02-30", "25:61", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
         "\ud7ff\ufeff\u202e", "%00", "🧾" * 50]
value = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.text(min_size=1, max_size=4).map(lambda s: s * 3000),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)
field_value = st.one_of(value, st.lists(value, min_size=2, max_size=3))  # wrong type: several values
COMMON_PARAMS = ["next", "page", "p", "q", "o", "year", "month", "kind", "status", "id", "pk", "_popup"]
# Fields the wizards (django-formtools, django-two-factor-auth) act on whatever the form shows.
CONTROL_FIELDS = ["challenge_device", "wizard_goto_step"]
FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIP_POST = ("/accounts/logout/", "/admin/logout/")


def field_names(html: str) -> list[str]:
    return sorted({n for n in FIELD_NAME.findall(html) if n != "csrfmiddlewaretoken"})


def assert_no_server_error(response, url, data):
    assert response.status_code < 500, f"{response.status_code} on {url} with {data!r}"[:2000]


@pytest.fixture
def admin_client(admin_a, employee_b):
    return lambda: session_full(Client(), admin_a)  # a fresh verified session per example


@pytest.mark.parametrize("url", project_urls())
def test_forms_and_query_parameters(admin_client, url):
    client = admin_client()
    page = client.get(url)
    assert_no_server_error(page, url, None)
    names = field_names(page.content.decode()) + CONTROL_FIELDS if page.status_code == 200 else []

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(COMMON_PARAMS + names) | st.text(max_size=10), value,
                                 max_size=4),
           form=st.fixed_dictionaries({}, optional={n: field_value for n in names}))
    def attempt(query, form):
        client = admin_client()
        assert_no_server_error(client.get(url, query), url, query)
        if url not in SKIP_POST:
            assert_no_server_error(client.post(url, form), url, form)

    attempt()


@pytest.mark.parametrize("url", [u for u in admin_urls() if not u.endswith(("/delete/", "/logout/"))])
def test_admin_query_parameters(admin_client, url):
    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(COMMON_PARAMS + ["e", "_changelist_filters", "all"])
                                 | st.text(max_size=12), value, max_size=4))
    def attempt(query):
        assert_no_server_error(admin_client().get(url, query), url, query)

    attempt()


WIZARD_FIELDS = ["login_view-current_step", "auth-username", "auth-password", "choice-mode",
                 "token-otp_token", "next", *CONTROL_FIELDS]


@FUZZ
@given(steps=st.lists(st.fixed_dictionaries({}, optional={n: field_value for n in WIZARD_FIELDS}),
                      min_size=1, max_size=3))
def test_login_wizard_anonymously(employee_b, steps):
    client = Client()
    for data in steps:
        assert_no_server_error(client.post("/accounts/login/", data), "/accounts/login/", data)
    assert client.session.get("_auth_user_id") is None


@pytest.mark.parametrize("login_id", ["A1000002", "B1000001"])
def test_login_wizard_after_the_password_step(employee_a, employee_b, login_id):
    """At the choice and code steps too (django-two-factor-auth's challenge_device was a 500 there)."""
    from tests.helpers import post_login

    @FUZZ
    @given(steps=st.lists(st.fixed_dictionaries({}, optional={n: field_value for n in WIZARD_FIELDS}),
                          min_size=1, max_size=3))
    def attempt(steps):
        client = Client()
        post_login(client, login_id)
        for data in steps:
            assert_no_server_error(client.post("/accounts/login/", data), "/accounts/login/", data)
        assert client.session.get("otp_device_id") is None

    attempt()


@FUZZ
@given(data=st.fixed_dictionaries({}, optional={"setup_view-current_step": field_value,
                                                "generator-token": field_value, "token": field_value,
                                                "otp_token": field_value, "next": field_value,
                                                **{n: field_value for n in CONTROL_FIELDS}}))
def test_setup_and_code_step_with_password_only(fresh_a, employee_b, data):
    from tests.helpers import session_limited, session_password_only

    setup = session_password_only(Client(), fresh_a)
    assert_no_server_error(setup.post("/accounts/setup/", data), "/accounts/setup/", data)
    verify = session_limited(Client(), employee_b)
    assert_no_server_error(verify.post("/accounts/verify/", data), "/accounts/verify/", data)


@pytest.mark.parametrize("target", ["0", "portal"])
def test_bare_word_next(employee_b, target):
    """Found by this sweep: a same-site ``next`` without "/" was looked up as a URL name (500)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.helpers import PASSWORD, code_for, post_login, session_limited

    client = session_full(Client(raise_request_exception=False), employee_b)
    statuses = [client.get("/accounts/verify/", {"next": target}).status_code,
                client.get("/accounts/setup/", {"next": target}).status_code]
    login = Client(raise_request_exception=False)
    post_login(login, "B1000001")
    statuses.append(login.post(f"/accounts/login/?next={target}",
                               {"login_view-current_step": "choice", "choice-mode": "limited"}).status_code)
    step_up = session_limited(Client(raise_request_exception=False), employee_b)
    device = TOTPDevice.objects.get(user=employee_b)
    statuses.append(step_up.post("/accounts/verify/", {"otp_token": code_for(device), "next": target})
                    .status_code)
    password = session_full(Client(raise_request_exception=False), employee_b)
    statuses.append(password.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Another-horse-7-staple",
        "new_password2": "Another-horse-7-staple", "next": target}).status_code)
    assert statuses == [302] * 5
