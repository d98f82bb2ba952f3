"""明細登録 one by one in the admin, scoped to the administrator's company."""

import datetime

from payslips.models import Payslip
from tests.helpers import session_full
from payslips.tests.factories import make_payslip, months


def test_admin_lists_own_company_payslips_only(client, admin_a, employee_b, other_user):
    make_payslip(employee_b)
    make_payslip(other_user, datetime.date(2026, 3, 1))
    session_full(client, admin_a)
    page = client.get("/admin/payslips/payslip/").content.decode()
    assert "B1000001" in page and "245,870円" in page
    assert other_user.login_id not in page


def test_other_company_admin_gets_404(client, other_admin, employee_b):
    payslip = make_payslip(employee_b)
    session_full(client, other_admin)
    assert client.get(f"/admin/payslips/payslip/{payslip.pk}/change/").status_code == 404
    assert client.post(f"/admin/payslips/payslip/{payslip.pk}/delete/", {"post": "yes"}).status_code == 404
    assert Payslip.objects.filter(pk=payslip.pk).exists()


def _add_form(user, month="2026-04-10", **extra):
    data = {
        "user": user.pk, "pay_month": month, "paid_on": "2026-04-25", "published_on": "2026-04-24", "note": "",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "attendance-TOTAL_FORMS": "0", "attendance-INITIAL_FORMS": "0", "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
        "items-0-kind": "earning", "items-0-name": "基本給", "items-0-amount": "280000", "items-0-order": "0",
        "items-1-kind": "deduction", "items-1-name": "所得税", "items-1-amount": "6000", "items-1-order": "1",
    }
    data.update(extra)
    return data


def test_admin_registers_one_payslip_with_items(client, admin_a, employee_b):
    session_full(client, admin_a)
    response = client.post("/admin/payslips/payslip/add/", _add_form(employee_b))
    assert response.status_code == 302, response.content.decode()[:2000]
    payslip = Payslip.objects.with_totals().get(user=employee_b)
    assert payslip.pay_month == datetime.date(2026, 4, 1)
    assert payslip.net_pay == 274000
    assert payslip.created_by == admin_a


def test_admin_cannot_register_for_another_company(client, admin_a, other_user):
    session_full(client, admin_a)
    response = client.post("/admin/payslips/payslip/add/", _add_form(other_user))
    assert response.status_code == 200  # the form again, with an error
    assert not Payslip.objects.exists()
    assert other_user.login_id not in client.get("/admin/payslips/payslip/add/").content.decode()


def test_admin_duplicate_month_is_a_form_error(client, admin_a, employee_b):
    make_payslip(employee_b, datetime.date(2026, 4, 1))
    session_full(client, admin_a)
    response = client.post("/admin/payslips/payslip/add/", _add_form(employee_b, month="2026-04-20"))
    assert response.status_code == 200
    assert "この従業員のこの月の明細は既に登録されています。" in response.content.decode()
    assert Payslip.objects.count() == 1


def test_admin_bulk_delete_of_own_payslips(client, admin_a, employee_b):
    ids = [make_payslip(employee_b, m).pk for m in months(2)]
    session_full(client, admin_a)
    response = client.post("/admin/payslips/payslip/", {
        "action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert not Payslip.objects.exists()


def test_admin_changelist_query_count_is_constant(client, admin_a, employee_b, employee_a,
                                                  django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_payslip(employee_b, datetime.date(2024, 1, 1))
    session_full(client, admin_a)
    client.get("/admin/payslips/payslip/")
    with CaptureQueriesContext(connection) as one:
        client.get("/admin/payslips/payslip/")
    for month in months(10):
        make_payslip(employee_b, month)
        make_payslip(employee_a, month)
    with django_assert_max_num_queries(len(one)):
        page = client.get("/admin/payslips/payslip/").content.decode()
    assert page.count("245,870円") == 21
