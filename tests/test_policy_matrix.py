"""The policy matrix: every URL pattern of the project, requested in every
session state, against ONE expected table.

The table gives each view's access level by URL name (with a default per
namespace): the core's written out here, each installed product's from its
declaration in the catalogue (every URL of the product needs the code except
the URLs of its limited features; an admin-only feature answers 403 to
anyone but company administrators). It is not read from the views' own
declarations, so a view whose declared level changes unexpectedly fails
here. A URL name the table does not know fails too.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import resolve

from accounts.audit import events
from kit.access import Access
from catalog.registry import products
from licensing.models import Licence
from tests import helpers
from tests.policy_walk import DUMMY_ID, PRODUCT_APP_LABELS, admin_expected, all_paths

PUBLIC, LOGIN, LIMITED, FULL = Access.PUBLIC, Access.LOGIN, Access.LIMITED, Access.FULL

# --- The expected table ------------------------------------------------------
# Access level per URL name; "namespace:*" is the default of a namespace.
LEVELS = {
    "set_language": PUBLIC,
    "portal:home": LIMITED,
    "portal:help": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:verify": LOGIN,
    "accounts:setup": LOGIN,
    "accounts:security": LIMITED,
    "accounts:password_change": FULL,
    "accounts:session_extend": LOGIN,
    "accounts:self_reset": FULL,
    "accounts:sessions": FULL,
    "accounts:history": FULL,
    "accounts:session_end": FULL,
    "accounts:sessions_end_others": FULL,
    "accounts:passwordless": PUBLIC,
    "accounts:passkey_add": FULL,
    "accounts:passkey_remove": FULL,
    "accounts:recovery_codes": FULL,  # the user's own passkeys only: any other id is a 404
    "sso:*": PUBLIC,  # single sign-on: 「会社のアカウントでログイン」, the provider's answer, the metadata
    "admin:*": FULL,
}
# Product apps: everything needs the code except the URLs of the features the
# product declares usable in the limited mode (打刻 and 明細閲覧, FAQ ⑥).
for _product in products():
    LEVELS[f"{_product.code}:*"] = FULL
    LEVELS.update(dict.fromkeys(_product.limited_url_names, LIMITED))
PRODUCT_NAMESPACES = {p.code for p in products()}

# What a view answers to GET once the policy lets the request through, when
# that is not 200. Values: (status, Location prefix) or {state: ...} with "*"
# as the default.
LOGIN_URL, VERIFY_URL, SETUP_URL = "/accounts/login/?next=", "/accounts/verify/?next=", "/accounts/setup/?next="
REACHED = {
    "set_language": (302, "/"),
    "accounts:logout": (405, None),
    "accounts:session_extend": (405, None),
    "accounts:self_reset": (302, "/accounts/security/"),
    "accounts:session_end": (405, None),  # POST only
    "accounts:sessions_end_others": (405, None),
    "accounts:passwordless": (405, None),  # POST only: the login page's 「パスキーでログイン」
    "sso:find": (405, None),  # POST only: the login page's 「会社のアカウントでログイン」
    "sso:acs": (405, None),  # POST only: the provider's answer
    "sso:start": (302, "/accounts/login/"),  # no such company: the login page (company codes not told)
    "sso:metadata": (404, None),
    "accounts:verify": {"pw_a_nodevice": (302, SETUP_URL), "full": (302, "/"), "full_other": (302, "/"),
                        "company_admin": (302, "/"), "operator": (302, "/"), "*": (200, None)},
    "accounts:setup": {"pw_a_nodevice": (200, None), "anonymous": (302, LOGIN_URL), "*": (302, "/")},
}
for _product in products():  # admin-only features (明細登録): company administrators only
    REACHED.update(dict.fromkeys(_product.admin_only_url_names,
                                 {"company_admin": (200, None), "operator": (200, None), "*": (403, None)}))

# Session states: (persona fixture, how the session is set up, tenant-less operator?)
STATES = {
    "anonymous": (None, None),
    "pw_a_device": ("employee_a", "password_only"),
    "pw_a_nodevice": ("fresh_a", "password_only"),
    "limited": ("employee_b", "limited"),
    "limited_temp": ("temp_b", "limited"),
    "full": ("employee_b", "full"),
    "full_other": ("other_user", "full"),
    "company_admin": ("admin_a", "full"),
    "operator": ("operator", "full"),
}
REACHED_LEVEL = {"anonymous": PUBLIC, "pw_a_device": LOGIN, "pw_a_nodevice": LOGIN, "limited": LIMITED,
                 "limited_temp": LIMITED, "full": FULL, "full_other": FULL, "company_admin": FULL,
                 "operator": FULL}


def level_of(name):
    if name in LEVELS:
        return LEVELS[name]
    namespace = name.split(":")[0] if ":" in name else ""
    assert f"{namespace}:*" in LEVELS, f"URL '{name}' is not in the policy table: add its expected level"
    return LEVELS[f"{namespace}:*"]


def reached(name, state, path):
    rule = REACHED.get(name)
    if isinstance(rule, dict):
        return rule.get(state, rule["*"])
    if rule is not None:
        return rule
    if DUMMY_ID in path:
        return (404, None)
    return (200, None)


def expected(name, state, path, user, world):
    level = level_of(name)
    namespace = name.split(":")[0] if ":" in name else ""
    if level == PUBLIC:
        return reached(name, state, path)
    if state == "anonymous":
        return (302, LOGIN_URL)
    if namespace in PRODUCT_NAMESPACES and (user.tenant_id is None or not world["licensed"]):
        return (404, None)  # unlicensed (operators have no tenant): as if it did not exist
    if REACHED_LEVEL[state] < level:
        return (302, SETUP_URL if state == "pw_a_nodevice" else VERIFY_URL)
    if namespace == "admin":
        return admin_expected(name, path, user, world)
    return reached(name, state, path)


@pytest.fixture
def world(acme, other_tenant, admin_a, employee_a, fresh_a, employee_b, temp_b, other_user, operator):
    helpers.add_device(operator)
    event = events.record(None, events.Kind.LOGIN_SUCCESS, user=employee_b)
    foreign_event = events.record(None, events.Kind.LOGIN_SUCCESS, user=other_user)
    objects = {  # the company administrator's own tenant's
        "accounts.user": str(employee_b.pk),
        "accounts.tenant": str(acme.pk),
        "accounts.securityevent": str(event.pk),
        "licensing.licence": str(Licence.objects.get(tenant=acme, product_code=products()[0].code).pk),
        "auth.group": str(Group.objects.get(name="会社管理者").pk),
    }
    foreign = {  # another tenant's: 404 for everyone but operators
        "accounts.user": str(other_user.pk),
        "accounts.tenant": str(other_tenant.pk),
        "accounts.securityevent": str(foreign_event.pk),
        "licensing.licence": str(Licence.objects.get(tenant=other_tenant, product_code=products()[0].code).pk),
    }
    return {"objects": objects, "foreign": foreign, "licensed": True}


def session_for(client, request, state):
    fixture, kind = STATES[state]
    if fixture is None:
        return None
    user = request.getfixturevalue(fixture)
    {"password_only": helpers.session_password_only, "limited": helpers.session_limited,
     "full": helpers.session_full}[kind](client, user)
    return user


def outcome(response):
    location = response.get("Location")
    return (response.status_code, location)


def matches(actual, wanted):
    status, prefix = wanted
    return actual[0] == status and (prefix is None or (actual[1] or "").startswith(prefix))


@pytest.mark.parametrize("state", list(STATES))
def test_every_url_in_every_session_state(client, request, world, state):
    user = session_for(client, request, state)
    mismatches = []
    paths = all_paths(world)
    assert len(paths) > 50
    for path, name in paths:
        wanted = expected(name, state, path, user, world)
        actual = outcome(client.get(path))
        if not matches(actual, wanted):
            mismatches.append(f"{state:14} {name:45} {path:55} expected {wanted}, got {actual}")
    assert not mismatches, "\n" + "\n".join(mismatches)


@pytest.mark.parametrize("state", [s for s in STATES if s != "anonymous"])
def test_unlicensed_products_are_404_in_every_state_beyond_anonymous(client, request, world, state):
    Licence.objects.update(in_use=False)
    world["licensed"] = False
    user = session_for(client, request, state)
    mismatches = []
    for path, name in all_paths(world):
        namespace = name.split(":")[0]
        product_admin = re.match(r"^/admin/(\w+)/\w+/", path)
        if product_admin and product_admin.group(1) in PRODUCT_APP_LABELS and state != "operator":
            pass  # a product's admin pages are its URLs too (operators administer every tenant)
        elif namespace not in PRODUCT_NAMESPACES:
            continue
        actual = outcome(client.get(path))
        if actual[0] != 404:
            mismatches.append(f"{state} {name} {path}: {actual}")
    assert not mismatches, "\n" + "\n".join(mismatches)


# --- Step-up, キャンセル and query counts over the whole project ---------------

def plain_pages(world, level):
    """Paths of the given level that GET answers 200 in full mode (no ids, not the admin)."""
    return [path for path, name in all_paths(world)
            if level_of(name) == level and not name.startswith("admin:")
            and reached(name, "full", path) == (200, None)]


def test_step_up_returns_to_every_full_page(client, world, employee_b):
    device = helpers.TOTPDevice.objects.get(user=employee_b)
    pages = plain_pages(world, FULL)
    assert "/accounts/password/" in pages and len(pages) > 3
    for path in pages:
        client.logout()
        helpers.session_limited(client, employee_b)
        before = client.cookies["sessionid"].value
        step_up = client.get(path)
        assert step_up.status_code == 302 and step_up["Location"].startswith(VERIFY_URL), path
        response = client.post(step_up["Location"], {"otp_token": helpers.code_for(device), "next": path})
        assert response.status_code == 302 and response["Location"] == path, path
        assert client.cookies["sessionid"].value != before, path
        assert client.get(path).status_code == 200, path
        helpers.TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # same time step next round


def test_cancel_leaves_no_authenticated_state(client, world, employee_b):
    helpers.post_login(client, employee_b.login_id)
    client.post("/accounts/login/", {"login_view-current_step": "choice", "wizard_goto_step": "auth"})
    mismatches = []
    for path, name in all_paths(world):
        wanted = expected(name, "anonymous", path, None, world)
        actual = outcome(client.get(path))
        if not matches(actual, wanted):
            mismatches.append(f"{name} {path}: expected {wanted}, got {actual}")
    assert not mismatches, "\n" + "\n".join(mismatches)


def test_every_page_costs_constant_queries(client, world, admin_a, acme, other_tenant,
                                           django_assert_max_num_queries):
    """1 vs 50 licence rows of the tenant and 1 vs 1,000 users; other tenants grow too."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Tenant, User

    helpers.session_full(client, admin_a)
    pages = plain_pages(world, LIMITED) + plain_pages(world, FULL) + ["/admin/", "/admin/licensing/licence/"]
    own = [p.code for p in products()]
    Licence.objects.filter(tenant=acme).exclude(product_code=own[0]).delete()
    baseline = {}
    for code in own:  # one licence row at a time: the page's own product
        Licence.objects.filter(tenant=acme).delete()
        Licence.objects.create(tenant=acme, product_code=code)
        for path in pages:
            if resolve(path).namespace in (code, "portal", "accounts", "admin", ""):
                client.get(path)
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(path).status_code
                if status == 200:
                    baseline[path] = max(baseline.get(path, 0), len(queries))
    assert set(pages) <= set(baseline), set(pages) - set(baseline)
    Licence.objects.bulk_create([Licence(tenant=acme, product_code=c) for c in own[:-1]]
                                + [Licence(tenant=acme, product_code=f"gone{i}") for i in range(50 - len(own))])
    tenants = Tenant.objects.bulk_create([Tenant(code=f"q{i:03d}", name=f"会社{i}") for i in range(50)])
    Licence.objects.bulk_create([Licence(tenant=t, product_code=c) for t in tenants for c in own])
    password = make_password("not-used-here-9")
    User.objects.bulk_create([User(login_id=f"B8{i:06d}", login_key=f"B8{i:06d}", tenant=acme, password=password)
                              for i in range(1000)])
    assert Licence.objects.filter(tenant=acme).count() == 50
    for path, count in baseline.items():
        client.get(path)
        with django_assert_max_num_queries(count):
            assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("state", ["anonymous", "pw_a_device", "pw_a_nodevice", "limited", "limited_temp"])
def test_post_is_held_to_the_same_levels(client, request, world, state):
    """A POST to a page above the session's level changes nothing and asks for what is missing."""
    user = session_for(client, request, state)
    mismatches = []
    for path, name in all_paths(world):
        if level_of(name) <= REACHED_LEVEL[state]:
            continue
        wanted = expected(name, state, path, user, world)
        actual = outcome(client.post(path, {"in_use": "", "name": "x", "password": "x"}))
        if not matches(actual, wanted):
            mismatches.append(f"{state:14} {name:45} {path:55} expected {wanted}, got {actual}")
    assert not mismatches, "\n" + "\n".join(mismatches)
    assert Licence.objects.filter(in_use=True).count() == 2 * len(products())
