"""The optional shared cache (REDIS_URL) on the real Redis: licence sets,
sessions are read from it, every licence change is seen at
once, and a Redis that does not answer is read past.

These tests switch the cache on themselves (``shared_cache_on``) and are
skipped with a notice when Redis is not reachable (required under CI)."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.shared_cache import cached, forget
from attendance.models import Punch
from licensing.models import Licence
from licensing.services import licence_set
from tests import helpers
from tests.helpers import session_full, session_limited


@pytest.fixture
def cache_on(shared_cache_on, acme):
    # The company was just created: its licence set is "forgotten" for a few
    # seconds (accounts.shared_cache.FORGET_SECONDS); these tests start after that.
    cache.delete(f"licences:{acme.pk}")
    return shared_cache_on


def token_from(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def test_a_punch_with_the_shared_cache_is_two_statements(cache_on, client, employee_b, django_assert_num_queries):
    """The session and the licence set come from Redis: the user and the insert remain."""
    session_limited(client, employee_b)
    client.get("/attendance/")  # the first request of a session writes the session
    token = token_from(client.get("/attendance/"))
    with django_assert_num_queries(2) as queries:
        assert client.post("/attendance/", {"kind": "in", "token": token}).status_code == 302
    assert "accounts_user" in queries.captured_queries[0]["sql"]
    assert queries.captured_queries[1]["sql"].lstrip().startswith("INSERT")
    assert Punch.objects.filter(user=employee_b).count() == 1


def test_portal_and_payslip_list_with_the_shared_cache(cache_on, client, employee_b, django_assert_num_queries):
    session_limited(client, employee_b)
    client.get("/")
    with django_assert_num_queries(1):  # the user
        assert "ネット de 就業" in client.get("/").content.decode()
    with django_assert_num_queries(2):  # the user, the list
        assert client.get("/payslips/").status_code == 200


@pytest.mark.parametrize("change", ["service", "command", "admin", "bulk update", "delete"])
def test_every_licence_change_is_seen_by_the_next_request(cache_on, client, acme, employee_b, operator, change):
    session_limited(client, employee_b)
    assert client.get("/attendance/").status_code == 200  # the licence set is now cached
    assert cache.get("licences:%s" % acme.pk) is not None
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


def test_a_value_read_before_a_change_is_not_put_back_after_it(cache_on):
    """A request that read the database before a licence change and stores its
    value after the change has been forgotten cannot bring the old value back."""
    assert cached("k", lambda: "old", 60) == "old"
    forget("k")
    assert cached("k", lambda: "new", 60) == "new"  # read from the database while the change settles
    cache.add("k", "old", 60)  # the late writer: refused by the mark the change left
    assert cached("k", lambda: "newer", 60) == "newer"


def test_the_cache_keeps_one_redis_client_per_connection_pool(cache_on):
    """Django's backend builds a new client for every call; ours keeps it (CPU on every request)."""
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)
    cache.set("k", "値", 60)
    assert cache.get("k") == "値"


def test_a_session_survives_redis_losing_it(cache_on, client, employee_b):
    session_limited(client, employee_b)
    assert client.get("/").status_code == 200
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    cache.delete(KEY_PREFIX + client.cookies["sessionid"].value)
    assert client.get("/").status_code == 200  # read from the database, cached again


def test_logout_ends_the_cached_copy_too(cache_on, client, employee_b):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    session_limited(client, employee_b)
    key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    assert cache.get(KEY_PREFIX + key) is None
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get("/").status_code == 302  # to the login


def test_a_redis_that_does_not_answer_is_read_past(shared_cache_on, client, employee_b, acme):
    session_limited(client, employee_b)
    shared_cache_on.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    assert client.get("/").status_code == 200  # session and licences from the database
    assert client.get("/attendance/").status_code == 200
    licence_set(tenant=acme, product_code="attendance", in_use=False)  # the change itself is stored
    assert client.get("/attendance/").status_code == 404


def test_without_the_shared_cache_nothing_is_kept(database_only, client, employee_b, django_assert_num_queries):
    session_limited(client, employee_b)
    client.get("/")
    with django_assert_num_queries(3):  # session, user, licences: the database every time
        client.get("/")
