"""The request's user, loaded by the once-compiled query (accounts/identity/user_load.py), is
the ORM's own answer: every field of the user, the company and its two settings, in one query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.identity.user_load import user_with_company
from accounts.models import TenantAccessRule, TenantLoginPolicy, User

RELATED = ("tenant", "tenant__access_rule", "tenant__login_policy")


def values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def same_as_the_orm(user_id):
    orm = User.objects.select_related(*RELATED).get(pk=user_id)
    loaded = user_with_company(user_id)
    assert type(loaded) is User and loaded._state.db == orm._state.db and not loaded._state.adding
    assert values(loaded) == values(orm)
    if orm.tenant is None:
        assert loaded.tenant is None
        return loaded
    assert values(loaded.tenant) == values(orm.tenant)
    for relation in ("access_rule", "login_policy"):
        theirs, ours = getattr(orm.tenant, relation, None), getattr(loaded.tenant, relation, None)
        assert (ours is None) == (theirs is None), relation
        if theirs is not None:
            assert values(ours) == values(theirs), relation
    return loaded


def test_every_persona_loads_as_the_orm_loads_them(acme, admin_a, employee_b, temp_b, operator, other_user):
    TenantAccessRule.objects.create(tenant=acme, enabled=True, allowed_networks="192.0.2.0/24")
    TenantLoginPolicy.objects.create(tenant=acme, passwordless=True)
    acme.employee_import_columns = {"社員コード": "employee_number"}
    acme.save()
    User.objects.filter(pk=employee_b.pk).update(hired_on=timezone.localdate() - timedelta(days=400),
                                                 last_login=timezone.now(), furigana="スズキ ハナコ")
    for user in (admin_a, employee_b, temp_b, operator, other_user):
        same_as_the_orm(user.pk)
    loaded = user_with_company(admin_a.pk)
    assert loaded.tenant.employee_import_columns == {"社員コード": "employee_number"}, "JSON is read as JSON"
    assert loaded.tenant.access_rule.allowed_networks == "192.0.2.0/24"


def test_one_query_answers_the_user_the_company_and_its_settings(acme, employee_b, django_assert_num_queries):
    TenantAccessRule.objects.create(tenant=acme)
    with django_assert_num_queries(1):
        user = user_with_company(employee_b.pk)
        assert user.tenant.name == "アクメ株式会社"
        assert user.tenant.access_rule.enabled is False
        assert getattr(user.tenant, "login_policy", None) is None  # none kept: no query either


@pytest.mark.parametrize("user_id", [987654321, "987654321", "not-a-number", None, 2 ** 70, -(2 ** 70)])
def test_no_user_for_an_unknown_or_broken_id(db, user_id):
    assert user_with_company(user_id) is None

