"""Tenant isolation, walked generically over every model and every id URL.

Tenant Y ("other") gets its data from each installed product's own demo
seeder (so a product app added later is covered without editing this
file) plus security events. A user of tenant X ("acme") then asks for Y's
ids everywhere an id is taken: every admin URL of every registered
ModelAdmin whose model is tenant-owned, every admin list action, the admin's
"view on site" shortcut, and every portal / product URL with an id
converter (test_tenant_isolation_portal.py). Each answer must be the same
404 as an id that never existed, and afterwards every row of Y (product
data, users, their 2FA devices, licences, security events) is exactly as
before.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict
from django.views.generic import RedirectView
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit.events import Kind, record
from accounts.models import Passkey, Tenant, User
from catalog.registry import products
from sso.models import SsoSettings
from tests.helpers import PASSWORD, add_device, session_full
from catalog.tests.isolation import (
    ID_CONVERTER, MISSING_ID, objects_of, sample_of, seed_products, substitute, tenant_models,
)

# Models registered in the admin that have no tenant_path and that a company
# administrator may still reach, with the reason. Every other one must be
# operator-only (403/404 for a company administrator).
NON_TENANT_ADMIN_ALLOWED: dict = {
    # model: "reason"  (auth groups and django-axes' logs are operator-only)
    SsoSettings: "シングルサインオン: one page, no object URLs, the administrator's own company's row "
                 "(request.user.tenant); sso/tests/test_sso_console.py",
}


# -- tenant Y -----------------------------------------------------------------


@pytest.fixture
def tenant_y(other_tenant, other_admin, other_personas):
    """Tenant Y filled by every product's demo seeder, and Y's persona users."""
    users = other_personas
    seed_products(other_tenant, users)
    for user in users:
        record(None, Kind.LOGIN_SUCCESS, user=user)
    record(None, Kind.RESET, user=users[2], actor=other_admin)
    for number, user in enumerate(users[:2], 1):  # passkeys: tenant data too
        Passkey.objects.create(user=user, name=f"他社の鍵{number}", credential_id=bytes([number]) * 16,
                               public_key=b"\xa5", confirmed=True)
    return other_tenant


def product_models():
    labels = {p.app_label for p in products()}
    return [m for m in tenant_models() if m._meta.app_label in labels]


def snapshot(tenant):
    """Every row of the tenant (all columns), its users' groups and 2FA devices."""
    state = {m._meta.label: list(m._default_manager.for_tenant(tenant).order_by("pk").values())
             for m in tenant_models()}
    users = User.objects.filter(tenant=tenant)
    state["groups"] = sorted(users.values_list("pk", "groups"), key=str)
    state["devices"] = list(TOTPDevice.objects.filter(user__in=users).order_by("pk").values())
    return state


def assert_unchanged(before, tenant):
    after = snapshot(tenant)
    for label in before:
        assert after[label] == before[label], f"{label} of the other tenant changed"


def assert_discloses_nothing(response, tenant):
    """No login ID or name of the tenant's users is in the page."""
    body = response.content.decode(errors="replace")
    for login_id, name in User.objects.filter(tenant=tenant).values_list("login_id", "name"):
        assert login_id not in body and name not in body, (response.request["PATH_INFO"], login_id)


def tampered(obj):
    """A form payload for ``obj`` with every free-text field changed."""
    data = {}
    for name, value in model_to_dict(obj).items():
        field = obj._meta.get_field(name)
        if isinstance(value, str) and not field.choices:
            value = "改ざん"
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = "" if value is None else value
    return data


# -- admin --------------------------------------------------------------------


def admin_object_routes(model_admin):
    """(route, is_redirect) of every URL of ``model_admin`` that takes an object id."""
    meta = model_admin.model._meta
    prefix = f"/admin/{meta.app_label}/{meta.model_name}/"
    for pattern in model_admin.get_urls():
        route = str(pattern.pattern)
        if ID_CONVERTER.search(route):
            view_class = getattr(pattern.callback, "view_class", None)
            yield prefix + route, isinstance(view_class, type) and issubclass(view_class, RedirectView)


def tenant_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if hasattr(model, "tenant_path")]


def test_every_admin_object_url_is_404_for_another_tenant(client, admin_a, tenant_y):
    session_full(client, admin_a)
    before = snapshot(tenant_y)
    exercised = {}
    for model, model_admin in tenant_admins():
        objs = sample_of(model, tenant_y)
        for route, is_redirect in admin_object_routes(model_admin):
            baseline = client.get(substitute(route, MISSING_ID), follow=is_redirect)
            assert baseline.status_code == 404, route
            for obj in objs:
                url = substitute(route, obj.pk)
                response = client.get(url, follow=is_redirect)
                assert response.status_code == 404, (url, response.status_code)
                assert_discloses_nothing(response, tenant_y)
                if not is_redirect:
                    response = client.post(url, {**tampered(obj), "post": "yes"})
                    assert response.status_code == 404, ("POST", url, response.status_code)
                exercised[model] = exercised.get(model, 0) + 1
    assert_unchanged(before, tenant_y)

    # Not vacuous: Y has data for every admin-registered tenant model, and
    # every one of them was asked for.
    registered = {model for model, _ in tenant_admins()}
    for model in registered:
        assert exercised.get(model), f"no object of {model._meta.label} in the other tenant was tried"
    for model in product_models():
        if model in registered:
            assert objects_of(model, tenant_y), f"the demo seeders made no {model._meta.label}"
    assert User in registered and Tenant in registered


def test_the_urls_reach_the_objects_for_their_own_tenant(client, other_admin, operator, tenant_y):
    """The control: Y's own administrator gets each change page (or, for a
    model company administrators may not open, a 403 where the operator gets
    it), so the 404s above come from the tenant rule, not from a wrong URL."""
    add_device(operator)
    for model, _model_admin in tenant_admins():
        meta = model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/{objects_of(model, tenant_y)[0].pk}/change/"
        session_full(client, other_admin)
        status = client.get(url).status_code
        if status == 403:
            session_full(client, operator)
            status = client.get(url).status_code
        assert status == 200, meta.label


def test_admin_view_on_site_shortcut_does_not_confirm_another_tenants_ids(client, admin_a, tenant_y):
    session_full(client, admin_a)
    missing = client.get(f"/admin/r/{ContentType.objects.get_for_model(User).pk}/{MISSING_ID}/")
    assert missing.status_code == 404
    for model in tenant_models():
        content_type = ContentType.objects.get_for_model(model)
        for obj in sample_of(model, tenant_y):
            response = client.get(f"/admin/r/{content_type.pk}/{obj.pk}/")
            assert response.status_code == 404, (model._meta.label, obj.pk, response.status_code)


def test_admin_models_without_a_tenant_are_operator_only(client, admin_a, operator):
    untenanted = [(model, model_admin) for model, model_admin in admin.site._registry.items()
                  if not hasattr(model, "tenant_path") and model not in NON_TENANT_ADMIN_ALLOWED]
    session_full(client, admin_a)
    for model, _model_admin in untenanted:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        for url in (base, base + "add/"):
            assert client.get(url).status_code in (403, 404), url
        assert client.post(base + "add/", {}).status_code in (403, 404), base
    # The operator does reach them: the refusals above are the rule, not a broken URL.
    add_device(operator)
    session_full(client, operator)
    for model, _model_admin in untenanted:
        meta = model._meta
        assert client.get(f"/admin/{meta.app_label}/{meta.model_name}/").status_code == 200, meta.label


def test_admin_actions_on_another_tenants_ids_change_nothing(client, admin_a, tenant_y):
    session_full(client, admin_a)
    before = snapshot(tenant_y)
    posted = 0
    for model, model_admin in tenant_admins():
        ids = [obj.pk for obj in objects_of(model, tenant_y)]
        meta = model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        # Every action, also those hidden from a company administrator:
        # Django must then answer "no action selected" and touch nothing.
        for _func, name, _description in model_admin._get_base_actions():
            # With every confirmation an action page may ask for (Django's
            # delete "post", the 2FA reset's "confirm" and own password).
            response = client.post(url, {"action": name, ACTION_CHECKBOX_NAME: ids, "index": 0, "post": "yes",
                                         "confirm": "yes", "password": PASSWORD})
            assert response.status_code < 500, (url, name)
            assert response.status_code in (200, 302, 403, 404), (url, name, response.status_code)
            assert_discloses_nothing(response, tenant_y)
            posted += 1
    assert posted >= len(tenant_admins())  # delete_selected at least, for every model
    assert_unchanged(before, tenant_y)


def test_admin_list_filters_over_a_relation_never_offer_another_tenants_objects(
        client, admin_a, tenant_y, monkeypatch):
    """A list filter over a foreign key to a tenant-owned model (``list_filter
    = ["user"]``) offers the administrator's tenant's rows only: Django's
    plain filter lists every row of the related table. Tried on every
    relation of every tenant-scoped admin, none of which has one today."""
    session_full(client, admin_a)
    shown = 0
    for model, model_admin in tenant_admins():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.many_to_one
                    and hasattr(field.related_model, "tenant_path")):
                continue
            monkeypatch.setattr(model_admin, "list_filter", [*model_admin.list_filter, field.name])
            response = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
            monkeypatch.undo()
            assert response.status_code in (200, 403), (model._meta.label, field.name, response.status_code)
            shown += response.status_code == 200
            assert_discloses_nothing(response, tenant_y)
    assert shown, "no changelist with such a filter answered: the check above proved nothing"


def test_admin_autocomplete_never_offers_another_tenants_objects(client, admin_a, employee_b, tenant_y):
    """The autocomplete endpoint answers for any foreign key of any registered
    model: the choices it returns are the administrator's tenant's only."""
    session_full(client, admin_a)
    asked = 0
    for source, _source_admin in admin.site._registry.items():
        for field in source._meta.get_fields():
            target = getattr(field, "related_model", None)
            if not (field.is_relation and field.concrete and target in admin.site._registry
                    and hasattr(target, "tenant_path") and admin.site._registry[target].search_fields):
                continue
            response = client.get("/admin/autocomplete/", {
                "app_label": source._meta.app_label, "model_name": source._meta.model_name,
                "field_name": field.name, "term": ""})
            assert response.status_code in (200, 403, 404), (source, field.name, response.status_code)
            if response.status_code == 200:
                own = {str(pk) for pk in target._default_manager.for_tenant(admin_a.tenant)
                       .values_list(field.target_field.attname, flat=True)}
                returned = {item["id"] for item in response.json()["results"]}
                assert returned <= own, (source._meta.label, field.name, returned - own)
                asked += 1
            assert_discloses_nothing(response, tenant_y)
    assert asked, "no autocomplete answered: the check above proved nothing"
