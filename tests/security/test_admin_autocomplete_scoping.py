"""Review findings in the manager console (Django admin)."""

import datetime

import pytest

from licensing.services import licence_set
from payslips.models import Payslip
from reception.models import Submission
from tests.helpers import session_full

AUTOCOMPLETE = "/admin/autocomplete/"


@pytest.mark.parametrize("product, params", [
    ("payslips", {"app_label": "payslips", "model_name": "payslipitem", "field_name": "payslip"}),
    ("reception", {"app_label": "reception", "model_name": "addresschange", "field_name": "submission"}),
])
def test_autocomplete_does_not_list_data_of_a_product_the_company_does_not_use(
        client, acme, admin_a, employee_b, product, params):
    """The admin's autocomplete endpoint answers for any FK, not only autocomplete_fields:
    a product the company does not use must not be readable through it."""
    Payslip.objects.create(user=employee_b, pay_month=datetime.date(2026, 4, 1))
    Submission.objects.create(user=employee_b, kind=Submission.Kind.ADDRESS)
    session_full(client, admin_a)
    assert client.get(AUTOCOMPLETE, {**params, "term": ""}).status_code == 200  # in use: own data

    licence_set(tenant=acme, product_code=product, in_use=False)
    response = client.get(AUTOCOMPLETE, {**params, "term": ""})
    assert response.status_code in (403, 404)
    assert employee_b.login_id not in response.content.decode()


def test_autocomplete_lists_own_company_only(client, admin_a, employee_b, other_user, operator):
    session_full(client, admin_a)
    response = client.get(AUTOCOMPLETE, {"app_label": "payslips", "model_name": "payslip",
                                         "field_name": "user", "term": ""})
    text = response.content.decode()
    assert employee_b.login_id in text
    assert other_user.login_id not in text and operator.login_id not in text
