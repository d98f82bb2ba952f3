"""The 会社管理者 group follows the declarations after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.identity.groups import COMPANY_ADMIN_GROUP


def test_migrate_restores_the_declared_permissions_of_company_admins(db):
    group = Group.objects.get(name=COMPANY_ADMIN_GROUP)
    group.permissions.clear()
    stray = Permission.objects.get(content_type__app_label="accounts", codename="delete_tenant")
    group.permissions.add(stray)

    call_command("migrate", verbosity=0)

    codes = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("accounts", "change_user") in codes
    assert ("attendance", "change_attendancerequest") in codes
    assert ("payslips", "add_payslip") in codes
    assert ("accounts", "delete_tenant") not in codes
