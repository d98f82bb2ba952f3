"""A transactional test ends with the database as migrate leaves it, as Django's flush does."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from accounts.identity.groups import COMPANY_ADMIN_GROUP
from tests import database, helpers


def _state():
    """The rows of every table, by natural keys where ids differ between two ways of emptying."""
    tables = {}
    with connection.cursor() as cursor:
        for table in database._tables(connection):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            tables[table] = cursor.fetchone()[0]
    return {
        "row counts": tables,
        "content types": sorted(ContentType.objects.values_list("app_label", "model")),
        "permissions": sorted(Permission.objects.values_list("content_type__app_label", "codename", "name")),
        "groups": sorted((g.name, tuple(sorted(g.permissions.values_list("codename", flat=True))))
                         for g in Group.objects.all()),
    }


def _some_rows():
    tenant = helpers.make_tenant("emptying", "片付け株式会社")
    helpers.make_user("A1000001", tenant, name="管理 太郎", admin=True, device=True)
    helpers.make_user("B1000001", tenant, name="鈴木 花子", device=True)
    Group.objects.get(name=COMPANY_ADMIN_GROUP).permissions.clear()  # a test that changed the group
    Group.objects.create(name="一時的なグループ")


@pytest.mark.django_db(transaction=True)
def test_emptying_leaves_what_djangos_flush_and_post_migrate_leave():
    _some_rows()
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)  # Django's way
    by_django = _state()
    _some_rows()
    assert _state() != by_django
    database.empty_to_migrated()
    assert _state() == by_django
    assert Group.objects.get(name=COMPANY_ADMIN_GROUP).permissions.filter(codename="change_user").exists()
    assert sum(count for table, count in by_django["row counts"].items()
               if table not in {"django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}) == 0


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_ends_with_the_quick_emptying():
    from django.test import TransactionTestCase

    assert TransactionTestCase._fixture_teardown is database._fixture_teardown


@pytest.mark.django_db(transaction=True)
def test_the_test_database_commits_without_waiting_for_the_disk(on_postgres):
    from django.db import connections

    new = connections.create_connection("default")  # a connection opened after the setting, as the live server's are
    try:
        with new.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "off"
    finally:
        new.close()
