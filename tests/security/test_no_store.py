"""Issue 15, finding 5: every response to a logged-in session is ``Cache-Control: no-store``.

Personal pages (the portal, the month's punches, 届出申請 and their details,
the bank-change form re-rendered with the typed account number) were
cacheable: on the shared PCs of the threat model the browser's back button
or cache showed them to the next person. Now one middleware
(``accounts.sessions.no_store.SessionNoStoreMiddleware``) marks every
response to a request that belongs to a session, redirects and errors
included; static files (served by whitenoise before it) are untouched.

The URL list and the session states are the policy matrix's
(``tests/test_policy_matrix.py``), imported, so a URL or a state added
there is checked here too.
"""

import datetime

import pytest
from django.test import Client

from attendance.models import AttendanceRequest
from tests import helpers
from tests.policy_walk import all_paths
from tests.test_policy_matrix import STATES, session_for, world  # noqa: F401 (world: fixture)

LOGGED_IN_STATES = [state for state in STATES if state != "anonymous"]


def cache_control(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


def not_stored(response):
    return {"no-store", "private"} <= cache_control(response)


@pytest.mark.parametrize("state", LOGGED_IN_STATES)
def test_every_url_in_every_logged_in_state_is_no_store(client, request, world, state):  # noqa: F811
    """GET in every state; HEAD (the same view and middleware, the body left out) in the first."""
    session_for(client, request, state)
    methods = (client.get, client.head) if state == LOGGED_IN_STATES[0] else (client.get,)
    stored = []
    for path, name in all_paths(world):
        for method in methods:
            response = method(path)
            if not not_stored(response):
                stored.append(f"{state:14} {method.__name__:4} {name:45} {path:55} {response.status_code} "
                              f"Cache-Control: {response.get('Cache-Control')!r}")
    assert not stored, "\n" + "\n".join(stored)


def test_the_login_mid_way_is_no_store(client, world, employee_a, employee_b):  # noqa: F811
    """Password done, code pending (A-ID), and a B-ID at the choice step: nobody is logged in
    for Django yet, but the session holds the password step's result."""
    for user in (employee_a, employee_b):
        client = Client()
        page = client.get("/accounts/login/")
        assert not_stored(page)  # the wizard's session (and a CSRF token) starts here
        response = helpers.post_login(client, user.login_id)
        assert response.status_code == 200 and not_stored(response), user
        stored = [path for path, _name in all_paths(world) if not not_stored(client.get(path))]
        assert stored == [], (user, stored)


def test_responses_that_end_a_session_are_no_store(client, employee_b):
    helpers.session_full(client, employee_b)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and not_stored(response)


@pytest.fixture
def leave_request(employee_b):
    return AttendanceRequest.objects.create(user=employee_b, kind=AttendanceRequest.Kind.LEAVE, reason="私用",
                                            start_date=datetime.date(2026, 4, 1))


@pytest.mark.parametrize("session", [helpers.session_limited, helpers.session_full])
def test_the_pages_of_the_finding(client, employee_b, leave_request, session):
    session(client, employee_b)
    pages = ["/", "/attendance/month/"]
    if session is helpers.session_full:
        pages += ["/attendance/requests/", f"/attendance/requests/{leave_request.pk}/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not_stored(response), (path, response.get("Cache-Control"))


def test_bank_change_form_re_rendered_after_a_validation_error(client, employee_b):
    helpers.session_full(client, employee_b)
    form = client.get("/reception/new/bank/")
    assert form.status_code == 200 and not_stored(form)
    response = client.post("/reception/new/bank/", {
        "token": form.context["form"]["token"].value(), "bank_code": "12", "bank_name": "みずほ",
        "branch_code": "001", "branch_name": "東京", "account_type": "", "account_number": "7654321",
        "holder_kana": "スズキ ハナコ"})
    assert response.status_code == 200  # the form again, with its errors
    assert "7654321" in response.content.decode()  # what was typed is on the page
    assert not_stored(response), response.get("Cache-Control")


def test_existing_never_cache_headers_are_kept(client, fresh_a):
    """The setup page (QR, secret) had never_cache before: still every directive, once each."""
    helpers.session_password_only(client, fresh_a)
    response = client.get("/accounts/setup/")
    parts = [part.strip() for part in response["Cache-Control"].split(",")]
    assert sorted(parts) == sorted(set(parts))
    assert {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"} <= set(parts)
    assert "Expires" in response


def test_static_files_and_anonymous_visitors_without_a_session_are_left_alone(client, employee_b):
    assert "no-store" not in Client().get("/help/").get("Cache-Control", "")
    helpers.session_full(client, employee_b)
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")
