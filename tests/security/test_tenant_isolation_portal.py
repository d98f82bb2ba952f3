"""Tenant isolation on the portal's and the products' own pages: every URL
that takes an id answers another tenant's object with the same 404 as an id
that never existed, changes nothing, and reaches its owner's object (the
walk, tenant Y and the console's side: test_tenant_isolation.py)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from catalog.registry import products
from catalog.tests.isolation import MISSING_ID, id_routes, objects_of, sample_of, substitute, tenant_models
from tests.helpers import session_full
from tests.security.test_tenant_isolation import (  # noqa: F401 (tenant_y: a fixture)
    assert_discloses_nothing, assert_unchanged, snapshot, tenant_y,
)


def portal_id_routes():
    """(route, app label) of every portal, accounts and product URL taking an id."""
    prefixes = tuple(f"/{p.code}/" for p in products())
    for route, label in id_routes():
        if route.startswith(prefixes) or label in ("accounts", "portal"):
            yield route, label


def owner_of(obj):
    """The user that owns ``obj`` (its tenant_path minus the last step)."""
    for step in obj.tenant_path.split("__")[:-1]:
        obj = getattr(obj, step)
    return obj if isinstance(obj, User) else None


@pytest.fixture(params=["employee_b", "admin_a"])
def persona_x(request):
    return request.getfixturevalue(request.param)


def test_every_portal_object_url_is_404_for_another_tenant(client, persona_x, tenant_y):
    routes = list(portal_id_routes())
    assert routes, "no portal URL takes an id: the walk below would prove nothing"
    session_full(client, persona_x)
    before = snapshot(tenant_y)
    for route, label in routes:
        models = [m for m in tenant_models() if m._meta.app_label == label] or tenant_models()
        ids = sorted({obj.pk for m in models for obj in sample_of(m, tenant_y)})
        assert ids, f"no object of the other tenant to try at {route}"
        baseline = {m: getattr(client, m)(substitute(route, MISSING_ID)).status_code for m in ("get", "post")}
        assert baseline["get"] == 404, route
        assert baseline["post"] in (404, 405), route  # 405: the view refuses POST before any lookup
        for pk in ids:
            url = substitute(route, pk)
            response = client.get(url)
            assert response.status_code == 404, url
            assert_discloses_nothing(response, tenant_y)
            assert client.post(url, {}).status_code == baseline["post"], ("POST", url)
    assert_unchanged(before, tenant_y)


def test_portal_id_urls_reach_their_owners_objects(client, tenant_y):
    """The control: for each id URL some object of Y answers 200 to its owner."""
    for route, label in portal_id_routes():
        reached = False
        for model in [m for m in tenant_models() if m._meta.app_label == label]:
            for obj in objects_of(model, tenant_y)[:3]:
                owner = owner_of(obj)
                if owner is None or not TOTPDevice.objects.filter(user=owner).exists():
                    continue
                session_full(client, owner)
                if client.get(substitute(route, obj.pk)).status_code == 200:
                    reached = True
                    break
            if reached:
                break
        assert reached, f"no object of its own tenant answers at {route}: the 404s prove nothing there"
