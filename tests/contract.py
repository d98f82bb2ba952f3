"""The contract every product app's tests inherit (django-otp's
ThrottlingTestMixin idea). A product's test module declares::

    class TestAttendanceContract(ProductContract):
        product_code = "attendance"
        limited_urls = ["/attendance/"]          # usable in the limited mode
        full_urls = ["/attendance/requests/"]    # need the code (step-up)

        def foreign_object_urls(self, other_user):
            # URLs of objects that belong to another tenant's user; each must 404.
            return [f"/attendance/requests/{make_request(other_user).pk}/"]

What every product then proves: it is in the registry; anonymous users go to
the login; unlicensed, its icon is gone and every URL is 404 (in the limited
mode too, before any step-up); the limited rule holds for the listed URLs
and for every declared feature; a full URL in the limited mode steps up and
comes straight back; full mode reaches everything; another tenant's objects
are 404 (never shown in the limited mode either).
"""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from licensing.services import licence_set
from catalog.registry import product_by_code
from tests.helpers import code_for, session_full, session_limited


class ProductContract:
    product_code: str = ""
    limited_urls: list = []
    full_urls: list = []

    def foreign_object_urls(self, other_user) -> list:
        return []

    def test_declared_in_registry(self):
        product = product_by_code(self.product_code)
        assert product is not None, f"{self.product_code} is not an installed product"
        reverse(product.entry_url)

    def test_icon_and_urls_hidden_when_unlicensed(self, client, employee_b, acme):
        session_full(client, employee_b)
        assert f'data-product="{self.product_code}"' in client.get("/").content.decode()
        licence_set(tenant=acme, product_code=self.product_code, in_use=False)
        assert f'data-product="{self.product_code}"' not in client.get("/").content.decode()
        for url in self.limited_urls + self.full_urls:
            assert client.get(url).status_code == 404, url

    def test_limited_mode_rule(self, client, employee_b):
        session_limited(client, employee_b)
        for url in self.limited_urls:
            assert client.get(url).status_code == 200, url
        for url in self.full_urls:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:verify")), url

    def test_full_mode_reaches_every_feature(self, client, employee_b):
        session_full(client, employee_b)
        for url in self.limited_urls + self.full_urls:
            assert client.get(url).status_code == 200, url

    def test_other_tenant_objects_are_404(self, client, employee_b, other_user):
        urls = self.foreign_object_urls(other_user)
        session_full(client, employee_b)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url

    def test_anonymous_is_sent_to_login(self, client, db):
        for url in self.limited_urls + self.full_urls:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login") + "?next="), url

    def test_unlicensed_is_404_before_any_step_up(self, client, employee_b, acme):
        session_limited(client, employee_b)
        licence_set(tenant=acme, product_code=self.product_code, in_use=False)
        assert f'data-product="{self.product_code}"' not in client.get("/").content.decode()
        for url in self.limited_urls + self.full_urls:
            assert client.get(url).status_code == 404, url

    def test_declared_features_follow_the_limited_rule(self, client, employee_b):
        session_limited(client, employee_b)
        for feature in product_by_code(self.product_code).features:
            response = client.get(reverse(feature.url_name))
            if feature.limited:
                assert response.status_code == 200, feature
            else:
                assert response.status_code == 302, feature
                assert response["Location"].startswith(reverse("accounts:verify")), feature

    def test_step_up_returns_to_the_requested_page(self, client, employee_b):
        device = TOTPDevice.objects.get(user=employee_b)
        for url in self.full_urls:
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

    def test_other_tenant_objects_are_never_shown_in_limited_mode(self, client, employee_b, other_user):
        urls = self.foreign_object_urls(other_user)
        session_limited(client, employee_b)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (404, 302), url
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("accounts:verify")), url

    @pytest.fixture(autouse=True)
    def _contract_is_configured(self):
        assert self.product_code, "set product_code"
