"""The payslip list's query, compiled once per process (kit.compiled), answers what the
ORM answers: the same slips, in the same order, with the same 差引支給額, on either database."""

import datetime

import pytest
from django.utils import timezone

from kit.compiled import CompiledQuery
from payslips.models import Payslip
from payslips.tests.factories import make_payslip
from payslips.views import _own_list


def orm_list(user, today):
    return list(Payslip.objects.for_tenant(user.tenant).of_user(user).published(today).for_list())


def shown(payslips):
    return [(p.pk, p.pay_month, p.paid_on, p.net_pay) for p in payslips]


def test_the_compiled_list_is_the_orms(employee_b, employee_a, other_user):
    today = timezone.localdate()
    make_payslip(employee_b, datetime.date(2026, 3, 1))
    make_payslip(employee_b, datetime.date(2026, 4, 1), earnings=(("基本給", 300000),), deductions=())
    make_payslip(employee_b, datetime.date(2026, 2, 1), earnings=(), deductions=(("住民税", 11000),))
    Payslip.objects.create(user=employee_b, pay_month=datetime.date(2026, 1, 1))  # no items: 0円
    future = make_payslip(employee_b, datetime.date(2026, 5, 1))
    Payslip.objects.filter(pk=future.pk).update(published_on=today + datetime.timedelta(days=3))
    make_payslip(employee_a, datetime.date(2026, 4, 1), earnings=(("基本給", 999999),))
    make_payslip(other_user, datetime.date(2026, 4, 1))

    compiled = _own_list(tenant=employee_b.tenant_id, user=employee_b.pk, today=today)
    expected = shown(orm_list(employee_b, today))
    assert shown(compiled) == expected
    assert [p[3] for p in expected] == [300000, 245870, -11000, 0]  # newest month first, the slip of the 5th hidden
    assert all(isinstance(p, Payslip) and not p._state.adding for p in compiled)
    assert compiled[0].month_label == "2026年4月分"

    later = today + datetime.timedelta(days=3)  # the same compiled SQL with another day shows the 公開日's slip
    assert shown(_own_list(tenant=employee_b.tenant_id, user=employee_b.pk, today=later)) == shown(
        orm_list(employee_b, later))
    assert len(_own_list(tenant=employee_b.tenant_id, user=employee_b.pk, today=later)) == 5


def test_another_tenants_id_finds_nothing(employee_b, other_user):
    make_payslip(employee_b)
    assert _own_list(tenant=other_user.tenant_id, user=employee_b.pk, today=timezone.localdate()) == []


def test_one_query(employee_b, django_assert_num_queries):
    make_payslip(employee_b)
    with django_assert_num_queries(1):
        assert len(_own_list(tenant=employee_b.tenant_id, user=employee_b.pk, today=timezone.localdate())) == 1


def test_a_placeholder_the_sql_does_not_carry_is_refused(db):
    # A placeholder compiled in as a constant would answer every call with the placeholder's rows.
    query = CompiledQuery(lambda user, today: Payslip.objects.filter(user_id=user), user=-5, today=datetime.date(1900, 1, 2))
    with pytest.raises(ValueError, match="today"):
        query(user=1, today=timezone.localdate())
