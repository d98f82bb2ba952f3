"""System checks of licence enforcement (licensing.E003; the licence guard's place: accounts/sessions/tests/test_login_gate.py)."""

from django.contrib import admin

from kit.admin_scoping import TenantScopedAdmin
from licensing import checks
from payslips.models import Payslip

def test_the_installed_settings_pass():
    assert checks.check_product_admins() == []


def test_product_admin_without_the_licence_mixin():
    site = admin.AdminSite(name="scratch")
    site.register(Payslip, TenantScopedAdmin)
    errors = checks.check_product_admins(site=site)
    assert [e.id for e in errors] == ["licensing.E003"] and "payslips.Payslip" in errors[0].msg
