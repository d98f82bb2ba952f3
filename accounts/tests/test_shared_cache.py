"""The optional shared cache (REDIS_URL) on the real Redis: licence sets are
read from it, every licence change is seen at once, sessions are never kept
in it, and a Redis that does not answer is read past (its faults on a server
of the test's own: test_shared_cache_faults.py).

These tests switch the cache on themselves (``shared_cache_on``) and are
skipped with a notice when Redis is not reachable (required under CI)."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Tenant
from accounts.shared_cache import cached
from attendance.models import Punch
from licensing.cache import licences_key
from licensing.models import Licence
from licensing.services import licence_set
from tests import helpers
from tests.helpers import session_full, session_limited


@pytest.fixture
def cache_on(shared_cache_on, acme):
    return shared_cache_on


def cached_licences(tenant):
    return cache.get(licences_key(Tenant.objects.get(pk=tenant.pk)))


def token_from(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def test_a_punch_with_the_shared_cache_is_three_statements(cache_on, client, employee_b, django_assert_num_queries):
    """The licence set comes from Redis; the session, the user and the insert remain.

    The session is read from the database on every request (it was kept in
    Redis before, two statements): the database decides whether a session
    is alive, and asking it whether the row still exists costs the same
    statement as reading the row, so a copy in Redis saved nothing once a
    restored copy could no longer be trusted (docs/security.md "Faults")."""
    session_limited(client, employee_b)
    client.get("/attendance/")  # the first request of a session writes the session
    token = token_from(client.get("/attendance/"))
    with django_assert_num_queries(3) as queries:
        assert client.post("/attendance/", {"kind": "in", "token": token}).status_code == 302
    assert "django_session" in queries.captured_queries[0]["sql"]
    assert "accounts_user" in queries.captured_queries[1]["sql"]
    assert queries.captured_queries[2]["sql"].lstrip().startswith("INSERT")
    assert Punch.objects.filter(user=employee_b).count() == 1


def test_portal_and_payslip_list_with_the_shared_cache(cache_on, client, employee_b, django_assert_num_queries):
    session_limited(client, employee_b)
    client.get("/")
    with django_assert_num_queries(2):  # the session, the user (with its company): no licence query
        assert "ネット de 就業" in client.get("/").content.decode()
    with django_assert_num_queries(3):  # the session, the user, the list
        assert client.get("/payslips/").status_code == 200


@pytest.mark.parametrize("change", ["service", "command", "admin", "bulk update", "delete"])
def test_every_licence_change_is_seen_by_the_next_request(cache_on, client, acme, employee_b, operator, change):
    session_limited(client, employee_b)
    assert client.get("/attendance/").status_code == 200  # the licence set is now cached
    assert cached_licences(acme) is not None
    licence = Licence.objects.get(tenant=acme, product_code="attendance")
    if change == "service":
        licence_set(tenant=acme, product_code="attendance", in_use=False)
    elif change == "command":
        call_command("licence", acme.code, "attendance", "--no-use")
    elif change == "admin":
        helpers.add_device(operator)
        admin = session_full(Client(), operator)
        url = reverse("admin:licensing_licence_change", args=[licence.pk])
        assert admin.post(url, {"tenant": acme.pk, "product_code": "attendance"}).status_code == 302
    elif change == "bulk update":
        Licence.objects.filter(tenant=acme, product_code="attendance").update(in_use=False)
    else:
        licence.delete()
    assert client.get("/attendance/").status_code == 404
    assert 'data-product="attendance"' not in client.get("/").content.decode()
    if change != "delete":
        call_command("licence", acme.code, "attendance", "--use")
        assert client.get("/attendance/").status_code == 200
        assert 'data-product="attendance"' in client.get("/").content.decode()


def test_a_set_kept_before_a_change_is_never_read_after_it(cache_on, client, acme, employee_b):
    """A set cached before a change (a late write, a Redis restored from a
    snapshot) sits under the old version: the next request reads the database."""
    session_limited(client, employee_b)
    assert client.get("/attendance/").status_code == 200
    old_key, old_set = licences_key(Tenant.objects.get(pk=acme.pk)), cached_licences(acme)
    assert "attendance" in old_set
    Licence.objects.filter(tenant=acme, product_code="attendance").update(in_use=False)
    cache.set(old_key, old_set, 60)  # put back after the change
    assert licences_key(Tenant.objects.get(pk=acme.pk)) != old_key
    assert client.get("/attendance/").status_code == 404
    assert cached("k", lambda: "計算", 60) == "計算" and cached("k", lambda: "other", 60) == "計算"


def test_licences_written_in_bulk_are_served_at_once(cache_on, client, acme, employee_b):
    """``bulk_create`` sends no signal; the queryset itself raises the version."""
    Licence.objects.filter(tenant=acme, product_code="attendance").delete()
    session_limited(client, employee_b)
    assert client.get("/attendance/").status_code == 404  # the set without it is now cached
    Licence.objects.bulk_create([Licence(tenant=acme, product_code="attendance")])
    assert client.get("/attendance/").status_code == 200


def test_the_cache_keeps_one_redis_client_per_connection_pool(cache_on):
    """Django's backend builds a new client for every call; ours keeps it (CPU on every request)."""
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)
    cache.set("k", "値", 60)
    assert cache.get("k") == "値"


def test_sessions_are_never_kept_in_the_shared_cache(cache_on, client, employee_b):
    session_limited(client, employee_b)
    key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    assert client.get("/attendance/").status_code == 200
    stored = [k.decode() for k in cache._cache.get_client().scan_iter(match=cache.make_key("*"))]
    assert stored and all(":licences:" in k for k in stored) and not any(key in k for k in stored)
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get("/").status_code == 302  # to the login


def test_a_redis_that_does_not_answer_is_read_past(shared_cache_on, client, employee_b, acme):
    session_limited(client, employee_b)
    shared_cache_on.CACHES = {"default": {
        "BACKEND": "accounts.shared_cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    assert client.get("/").status_code == 200  # session and licences from the database
    assert client.get("/attendance/").status_code == 200
    licence_set(tenant=acme, product_code="attendance", in_use=False)  # the change itself is stored
    assert client.get("/attendance/").status_code == 404


def test_without_the_shared_cache_nothing_is_kept(database_only, client, employee_b, django_assert_num_queries):
    session_limited(client, employee_b)
    client.get("/")
    with django_assert_num_queries(3):  # session, user, licences: the database every time
        client.get("/")
