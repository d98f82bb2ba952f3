"""The contract every installed product keeps, run for each product the
catalogue finds: nobody writes a subclass (django-otp's ThrottlingTestMixin
idea, generated from the declarations).

From the product's declaration it takes its code, its feature URLs (limited
or not, admin-only) and every URL of its app; from its seed_demo hook,
another tenant's objects. It proves: the product is in the catalogue;
anonymous users go to the login; unlicensed, its icon is gone and every URL
is 404 (in the limited mode too, before any step-up); the limited rule holds
for every URL and declared feature; a full URL in the limited mode steps up
and comes straight back; the full mode reaches everything; another tenant's
objects are 404 (never shown in the limited mode either); and no page
without an id shows another tenant's objects (catalog/tests/page_isolation.py),
a check whose own test mounts a list of every tenant's rows under each
product (catalog/tests/urls_leaky_list.py) and sees it fail.
"""

import pytest
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.registry import product_by_code, products, url_patterns
from licensing.services import licence_set
from tests.helpers import code_for, session_full, session_limited
from catalog.tests.isolation import MISSING_ID, id_routes, sample_of, seed_products, substitute, tenant_models
from catalog.tests.page_isolation import Viewer, check_pages


@pytest.fixture(params=[p.code for p in products()])
def product(request):
    return product_by_code(request.param)


def plain_urls(product) -> dict:
    """URL name → path of every URL of the product that takes no argument (admin-only features aside)."""
    urls = {}
    for name, _view in url_patterns(product):
        if name in product.admin_only_url_names:
            continue
        try:
            urls[name] = reverse(name)
        except NoReverseMatch:
            continue  # takes arguments: the policy matrix and the id walk below request it
    return urls


def limited_urls(product):
    return [path for name, path in plain_urls(product).items() if name in product.limited_url_names]


def full_urls(product):
    return [path for name, path in plain_urls(product).items() if name not in product.limited_url_names]


@pytest.fixture
def foreign_urls(product, other_tenant, other_personas):
    """Every id URL of the product with the ids of another tenant's objects of the product."""
    seed_products(other_tenant, other_personas, found=[product])
    ids = sorted({obj.pk for m in tenant_models(product.app_label) for obj in sample_of(m, other_tenant)})
    routes = [route for route, _label in id_routes(f"{product.code}/")]
    assert ids or not routes, f"{product.code}: no object of another tenant to try (its seed_demo hook)"
    return [(substitute(route, pk), substitute(route, MISSING_ID)) for route in routes for pk in ids]


def test_declared_in_the_catalogue(product):
    assert product.app_label and product.features
    reverse(product.entry_url)
    assert plain_urls(product), "the product has no page without arguments"


@pytest.mark.parametrize("session", [session_full, session_limited], ids=["full", "limited"])
def test_icon_and_urls_hidden_when_unlicensed(product, client, employee_b, acme, session):
    """In the limited mode too: an unused product is a 404 before any step-up."""
    session(client, employee_b)
    assert f'data-product="{product.code}"' in client.get("/").content.decode()
    licence_set(tenant=acme, product_code=product.code, in_use=False)
    assert f'data-product="{product.code}"' not in client.get("/").content.decode()
    for url in limited_urls(product) + full_urls(product):
        assert client.get(url).status_code == 404, url


def test_limited_mode_rule(product, client, employee_b):
    session_limited(client, employee_b)
    for url in limited_urls(product):
        assert client.get(url).status_code == 200, url
    for url in full_urls(product):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:verify")), url


def test_full_mode_reaches_every_feature(product, client, employee_b):
    session_full(client, employee_b)
    for url in limited_urls(product) + full_urls(product):
        assert client.get(url).status_code == 200, url


def test_other_tenant_objects_are_404(product, client, employee_b, foreign_urls):
    session_full(client, employee_b)
    for url, missing in foreign_urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == client.post(missing, {}).status_code, url


def test_anonymous_is_sent_to_login(product, client, db):
    for url in limited_urls(product) + full_urls(product):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), url


def test_declared_features_follow_the_limited_rule(product, client, employee_b):
    session_limited(client, employee_b)
    for feature in product.features:
        response = client.get(reverse(feature.url_name))
        if feature.limited:
            assert response.status_code == 200, feature
        else:
            assert response.status_code == 302, feature
            assert response["Location"].startswith(reverse("accounts:verify")), feature


def test_step_up_returns_to_the_requested_page(product, client, employee_b):
    device = TOTPDevice.objects.get(user=employee_b)
    for url in full_urls(product):
        session_limited(client, employee_b)
        step_up = client.get(url)["Location"]
        assert step_up.startswith(reverse("accounts:verify") + "?next="), url
        response = client.post(step_up, {"otp_token": code_for(device), "next": url})
        assert response.status_code == 302 and response["Location"] == url, url
        assert client.get(url).status_code == 200, url
        client.logout()
        device.refresh_from_db()
        device.last_t = -1  # the next URL's step-up may reuse this time step's code
        device.save(update_fields=["last_t"])


def test_other_tenant_objects_are_never_shown_in_limited_mode(product, client, employee_b, foreign_urls):
    session_limited(client, employee_b)
    for url, _missing in foreign_urls:
        response = client.get(url)
        assert response.status_code in (404, 302), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:verify")), url


@pytest.fixture
def page_viewers(admin_a, employee_a, employee_b):
    """The first tenant's viewers: company administrator, A-ID, B-ID in each mode."""
    return [Viewer("company administrator", admin_a), Viewer("A-ID", employee_a),
            Viewer("B-ID", employee_b), Viewer("B-ID in the limited mode", employee_b, limited=True)]


def check_product_pages(product, acme, viewers, other_tenant, other_personas):
    """The first tenant filled with the product's demo data, then the page check against the other."""
    seed_products(acme, list(dict.fromkeys(viewer.user for viewer in viewers)), found=[product])
    other_admin, _a_id, other_user, _temporary = other_personas
    return check_pages(product, viewers=viewers, other=other_tenant, other_users=other_personas,
                       other_viewers=[Viewer("other company administrator", other_admin),
                                      Viewer("other B-ID", other_user)])


def test_pages_without_an_id_never_show_another_tenants_objects(
        product, acme, page_viewers, other_tenant, other_personas):
    result = check_product_pages(product, acme, page_viewers, other_tenant, other_personas)
    assert not result.leaks, "\n".join(result.leaks)
    # Not vacuous: the pages were reached, and the other tenant's own pages do show its rows.
    assert result.pages, f"{product.code}: no page answered the first tenant"
    assert result.own_rows_shown and result.own_pages_changed, \
        f"{product.code}: the other tenant's rows show on none of its own pages: the check saw nothing"


@pytest.mark.urls("catalog.tests.urls_leaky_list")
def test_the_page_check_finds_lists_of_every_tenants_rows(
        product, acme, page_viewers, other_tenant, other_personas):
    """The contract's own test: a list of ``Model.objects.all()`` under the
    product's prefix fails it, whether it shows the rows' text (the other
    tenant's markers are found) or only their number (the page changes with
    the other tenant's rows)."""
    result = check_product_pages(product, acme, page_viewers, other_tenant, other_personas)
    rows, count = f"/{product.code}/every-tenants-rows/", f"/{product.code}/every-tenants-count/"
    assert all(leak.startswith((rows, count)) for leak in result.leaks), result.leaks  # the real pages keep theirs
    for viewer in ("company administrator", "A-ID", "B-ID"):
        assert any(leak.startswith(f"{rows} shown to {viewer}: ") for leak in result.leaks), viewer  # a marker
        assert f"{count} shown to {viewer} changes with the other tenant's rows" in result.leaks, viewer
