"""Issue 15, finding 1: the console filters only by the lookups its own filters use.

Django's ModelAdmin accepts any lookup on a local field in the changelist's
query string, so a company administrator could ask
``/admin/accounts/user/?login_id=A…&password__startswith=argon2`` and read an
employee's password hash one character at a time. Now every ModelAdmin on the
site (ours, django-axes' and Django's GroupAdmin that operators reach)
accepts only the parameters of its ``list_filter`` entries and its date
hierarchy; anything else is Django's ``DisallowedModelAdminLookup``, a 400.

What "declared" means is read from the changelist page itself: the
parameters of the filter and date-hierarchy links the admin renders. Every
concrete field of every registered model is tried with ``__startswith``,
``__exact`` and ``__regex``, and every field of each model one relation away
with ``__startswith``; only the keys the page's own links use may answer.
"""

import datetime
import html
import re
from urllib.parse import parse_qsl, urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.audit import events
from attendance.models import AttendanceRequest, Punch
from tests import helpers
from tests.policy_walk import COMPANY_ONLY_APPS
from payslips.tests.factories import make_payslip
from reception.tests.factories import make_address_change

# The changelist's own controls (sorting, search, paging, facets, popups); never lookups.
CONTROL_PARAMS = {"o", "q", "p", "all", "e", "_facets", "_popup", "_to_field"}
LOOKUPS = ("startswith", "exact", "regex")


@pytest.fixture
def console_data(acme, admin_a, employee_a, employee_b, other_user, operator):
    helpers.add_device(operator)
    events.record(None, events.Kind.LOGIN_SUCCESS, user=employee_b)
    events.record(None, events.Kind.LOGIN_FAILURE, user=employee_a, reason=events.WRONG_PASSWORD)
    now = timezone.now()
    Punch.objects.create(user=employee_b, kind=Punch.Kind.choices[0][0], punched_at=now,
                         work_date=timezone.localdate(now), token="t" * 32)
    AttendanceRequest.objects.create(user=employee_b, kind=AttendanceRequest.Kind.LEAVE, reason="私用",
                                     start_date=datetime.date(2026, 4, 1))
    make_payslip(employee_b)
    make_address_change(employee_b)
    return acme


def company_admin_client(admin_a):
    return helpers.session_full(Client(), admin_a)


def operator_client(operator):
    return helpers.session_full(Client(), operator)


def changelists(client):
    """(label, model, URL) of every registered ModelAdmin whose changelist this client may open."""
    reachable = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if client.get(url).status_code == 200:
            reachable.append((model._meta.label, model, url))
    return reachable


def page_links(body):
    """The query strings of the page's own links (filters, date hierarchy)."""
    return [html.unescape(href) for href in re.findall(r'href="(\?[^"]*)"', body)]


def declared_params(client, url):
    """Every lookup parameter the changelist's filter and date-hierarchy links use,
    following the date hierarchy down to its days."""
    seen, todo, params = set(), [""], set()
    while todo:
        query = todo.pop()
        response = client.get(url + query)
        assert response.status_code == 200, (url + query, response.status_code)
        for link in page_links(response.content.decode()):
            every_key = {key for key, _value in parse_qsl(link[1:], keep_blank_values=True)}
            params |= every_key - CONTROL_PARAMS
            drill_down = every_key and all(key.endswith(("__year", "__month", "__day")) for key in every_key)
            deeper = any(key.endswith(("__year", "__month")) for key in every_key)
            if drill_down and deeper and link not in seen:
                seen.add(link)
                todo.append(link)
    return params


def candidate_keys(model):
    """``<field>__<lookup>`` for every concrete field, and one forward relation deep."""
    keys = []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations
        if getattr(field, "concrete", False) or field.many_to_many:
            keys += [f"{field.name}__{lookup}" for lookup in LOOKUPS]
        if field.is_relation and field.related_model is not None and (field.many_to_one or field.one_to_one
                                                                        or field.many_to_many):
            # One relation deep: each field by one lookup (the allow-list is of whole keys, so
            # the lookup's kind does not matter to it; the three kinds are tried on every local field).
            for related in field.related_model._meta.concrete_fields:
                keys.append(f"{field.name}__{related.name}__{LOOKUPS[0]}")
    return keys


def answered(response):
    """The lookup was accepted: the list (200), or Django's "wrong value" redirect (?e=1)."""
    return response.status_code == 200 or (response.status_code == 302 and "e=1" in response["Location"])


def walk(client):
    problems = []
    lists = changelists(client)
    assert lists
    for label, model, url in lists:
        declared = declared_params(client, url)
        for key in candidate_keys(model):
            response = client.get(url, {key: "a"})
            if key in declared:
                if not answered(response):
                    problems.append(f"{label}: declared {key} → {response.status_code}")
            elif response.status_code != 400:
                problems.append(f"{label}: undeclared {key} → {response.status_code}")
    return lists, problems


def test_company_administrator_gets_400_for_every_undeclared_lookup(console_data, admin_a):
    lists, problems = walk(company_admin_client(admin_a))
    assert {label for label, _model, _url in lists} >= {"accounts.User", "accounts.SecurityEvent",
                                                       "licensing.Licence"}
    assert not problems, "\n" + "\n".join(problems)


def test_operator_gets_400_for_every_undeclared_lookup(console_data, operator):
    lists, problems = walk(operator_client(operator))
    # the operator reaches every registered admin: django-axes' and auth's included; not a company's
    # own シングルサインオン (tests/policy_walk.py, COMPANY_ONLY_APPS)
    assert {label for label, _model, _url in lists} == {m._meta.label for m in admin.site._registry
                                                        if m._meta.app_label not in COMPANY_ONLY_APPS}
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("prefix", ["argon2", "pbkdf2", "md5", "$"])
def test_password_hash_prefix_is_refused(console_data, admin_a, employee_a, prefix):
    """The reported oracle: the row showed when the prefix matched the hash."""
    client = company_admin_client(admin_a)
    assert employee_a.password.startswith("md5$")  # tests hash with MD5 (conftest)
    for key in ("password__startswith", "password__regex", "password__exact", "password__contains",
                "password__gt", "password", "password__in"):
        response = client.get("/admin/accounts/user/", {"login_id": employee_a.login_id, key: prefix})
        assert response.status_code == 400, (key, response.status_code)
        assert employee_a.name not in response.content.decode()


def test_other_secret_columns_are_refused(console_data, admin_a, employee_a, operator):
    client = company_admin_client(admin_a)
    for url, key in [("/admin/accounts/user/", "session_stamp__startswith"),
                     ("/admin/accounts/user/", "login_id__startswith"),
                     ("/admin/payslips/payslip/", "user__password__startswith"),
                     ("/admin/accounts/securityevent/", "user__password__startswith"),
                     ("/admin/accounts/securityevent/", "detail__startswith")]:
        assert client.get(url, {key: "m"}).status_code == 400, (url, key)
    # an operator neither (django-axes' own admin included)
    client = operator_client(operator)
    for url, key in [("/admin/accounts/user/", "password__startswith"),
                     ("/admin/axes/accessattempt/", "post_data__contains"),
                     ("/admin/auth/group/", "permissions__codename__startswith")]:
        assert client.get(url, {key: "m"}).status_code == 400, (url, key)


def test_every_filter_link_and_the_date_hierarchy_still_answer(console_data, admin_a, operator):
    for client in (company_admin_client(admin_a), operator_client(operator)):
        for label, _model, url in changelists(client):
            declared_params(client, url)  # follows the date hierarchy down to its days
            for link in page_links(client.get(url).content.decode()):
                assert client.get(url + link).status_code == 200, (label, link)


def test_the_filters_each_admin_declares_are_on_its_page(console_data, admin_a, operator):
    client = company_admin_client(admin_a)
    users = declared_params(client, "/admin/accounts/user/")
    assert {"two_factor", "is_staff__exact", "is_active__exact", "password_state"} <= users
    assert "tenant__id__exact" not in users
    events_ = declared_params(client, "/admin/accounts/securityevent/")
    assert {"kind__exact", "created_at__gte", "created_at__lt", "created_at__year", "created_at__month",
            "created_at__day"} <= events_
    client = operator_client(operator)
    assert "tenant__id__exact" in declared_params(client, "/admin/accounts/user/")
    assert client.get("/admin/accounts/user/", {"tenant__id__exact": console_data.pk}).status_code == 200


def test_preserved_filters_and_autocomplete_keep_working(console_data, admin_a, employee_b):
    client = company_admin_client(admin_a)
    preserved = urlencode({"_changelist_filters": "is_active__exact=1&two_factor=yes&q=B1"})
    change = client.get(f"/admin/accounts/user/{employee_b.pk}/change/?{preserved}")
    assert change.status_code == 200
    assert "is_active__exact%3D1" in change.content.decode()
    assert client.get("/admin/accounts/user/?is_active__exact=1&two_factor=yes&q=B1").status_code == 200
    response = client.get("/admin/autocomplete/", {"app_label": "payslips", "model_name": "payslip",
                                                    "field_name": "user", "term": "B1"})
    assert response.status_code == 200 and employee_b.login_id in response.content.decode()


def test_every_registered_admin_goes_through_the_restriction(monkeypatch):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kit.admin_lookups import DeclaredLookupsOnlyMixin, check_every_admin_restricts_lookups

    assert [m._meta.label for m, model_admin in admin.site._registry.items()
            if not isinstance(model_admin, DeclaredLookupsOnlyMixin)] == []
    assert check_every_admin_restricts_lookups() == []
    # an admin registered later without it fails `manage.py check`
    monkeypatch.setitem(admin.site._registry, TOTPDevice, admin.ModelAdmin(TOTPDevice, admin.site))
    assert [error.id for error in check_every_admin_restricts_lookups()] == ["accounts.E010"]
