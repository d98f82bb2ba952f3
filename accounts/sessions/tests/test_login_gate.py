"""The login gate: one login state per request, one middleware, the guards in a declared order."""

import pytest
from django.http import HttpResponse

from accounts.sessions import gate, state
from accounts.sessions.gate import Guard
from accounts.models import TenantAccessRule
from licensing.models import Licence
from tests import helpers

GATE = gate.GATE
LICENCE = "licensing.guards.LICENCE"
OFFICE_IP = "accounts.sessions.guards.OFFICE_IP"
ACCESS = "accounts.sessions.guards.ACCESS"


def ids(errors):
    return [error.id for error in errors]


# --- The one check of the order ------------------------------------------------------------------

def test_the_installed_settings_pass():
    assert gate.check_gate() == []


def test_without_the_gate_every_view_would_be_open(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != GATE]
    assert ids(gate.check_gate()) == ["accounts.E001"]


def test_the_gate_before_the_second_factor_is_known(settings):
    middleware = [m for m in settings.MIDDLEWARE if m != GATE]
    middleware.insert(middleware.index("django_otp.middleware.OTPMiddleware"), GATE)
    settings.MIDDLEWARE = middleware
    assert ids(gate.check_gate()) == ["accounts.E002"]


def test_no_store_inside_the_session_middleware(settings):
    middleware = [m for m in settings.MIDDLEWARE if m != gate.NO_STORE]
    middleware.insert(middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, gate.NO_STORE)
    settings.MIDDLEWARE = middleware
    assert ids(gate.check_gate()) == ["accounts.E002"]


def test_an_installed_apps_guard_left_out(settings):
    """licensing brings its guard in its AppConfig; accounts never names it."""
    settings.LOGIN_GATE_GUARDS = [g for g in settings.LOGIN_GATE_GUARDS if g != LICENCE]
    errors = gate.check_gate()
    assert ids(errors) == ["accounts.E005"] and LICENCE in errors[0].msg


@pytest.mark.parametrize("moved, after", [(LICENCE, ACCESS), (OFFICE_IP, LICENCE), (OFFICE_IP, ACCESS)])
def test_a_guard_out_of_order(settings, moved, after):
    guards = [g for g in settings.LOGIN_GATE_GUARDS if g != moved]
    guards.insert(guards.index(after) + 1, moved)
    settings.LOGIN_GATE_GUARDS = guards
    assert set(ids(gate.check_gate())) == {"accounts.E005"}


# --- The order as users meet it ------------------------------------------------------------------

OFFICE = "192.0.2.0/24"


def test_outside_the_office_an_unused_product_says_restricted_not_missing(client, employee_a, acme):
    """office_ip answers before licence: the page explains, it does not pretend the product is gone."""
    TenantAccessRule.objects.create(tenant=acme, enabled=True, allowed_networks=OFFICE)
    Licence.objects.filter(tenant=acme, product_code="attendance").delete()
    helpers.session_full(client, employee_a)
    assert client.get("/attendance/", REMOTE_ADDR="192.0.2.10").status_code == 404  # inside: no such product
    response = client.get("/attendance/", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 403
    assert "社外からのアクセスは会社の設定により制限されています" in response.content.decode()


def test_an_unused_product_is_missing_before_any_step_up(client, employee_b):
    """licence answers before access: a limited session is not asked for the code of a product it lacks."""
    helpers.session_limited(client, employee_b)
    assert client.get("/reception/").status_code == 302  # licensed: the code is asked for
    Licence.objects.filter(tenant=employee_b.tenant, product_code="reception").delete()
    assert client.get("/reception/").status_code == 404


# --- One state per request -----------------------------------------------------------------------

def test_the_login_state_is_read_once_per_request(client, employee_a, monkeypatch):
    reads = []
    real = state._read
    monkeypatch.setattr(state, "_read", lambda request: reads.append(request.path) or real(request))
    helpers.session_full(client, employee_a)
    assert client.get("/").status_code == 200
    assert reads == ["/"]


def test_the_state_follows_the_login_within_the_request(client, employee_b):
    """Choosing the limited mode changes the state at once: the same request's redirect leads on."""
    helpers.post_login(client, employee_b.login_id)
    response = helpers.post_choice(client, "limited")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 200 and follow.wsgi_request._netdekomon_login_state.limited


# --- A newcomer's guard --------------------------------------------------------------------------

def closed_for_maintenance(request, view_func):
    if request.path.startswith("/attendance/"):
        return HttpResponse("メンテナンス中です", status=503)
    return None


MAINTENANCE = Guard("maintenance", on_view=closed_for_maintenance, after=("office_ip",), before=("access",))


def test_a_new_guard_listed_in_the_settings_runs_in_its_place(settings, client, employee_b):
    settings.LOGIN_GATE_GUARDS = [*settings.LOGIN_GATE_GUARDS]
    settings.LOGIN_GATE_GUARDS.insert(settings.LOGIN_GATE_GUARDS.index(ACCESS), "accounts.sessions.tests.test_login_gate.MAINTENANCE")
    assert gate.check_gate() == []
    helpers.session_limited(client, employee_b)
    assert client.get("/attendance/").status_code == 503
    assert client.get("/").status_code == 200


def test_a_new_guard_in_the_wrong_place_fails_the_check(settings):
    settings.LOGIN_GATE_GUARDS = [*settings.LOGIN_GATE_GUARDS, "accounts.sessions.tests.test_login_gate.MAINTENANCE"]
    assert ids(gate.check_gate()) == ["accounts.E005"]
