"""System checks of licence enforcement (licensing.E001…)."""

from django.contrib import admin

from kit.admin_scoping import TenantScopedAdmin
from licensing import checks
from payslips.models import Payslip

LICENCE = "licensing.middleware.LicenceMiddleware"
ACCESS = "accounts.sessions.middleware.AccessPolicyMiddleware"


def test_the_installed_settings_pass():
    assert checks.check_middleware() == [] and checks.check_product_admins() == []


def test_missing_licence_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != LICENCE]
    assert [e.id for e in checks.check_middleware()] == ["licensing.E001"]


def test_licence_middleware_after_the_access_middleware(settings):
    middleware = [m for m in settings.MIDDLEWARE if m != LICENCE]
    middleware.insert(middleware.index(ACCESS) + 1, LICENCE)
    settings.MIDDLEWARE = middleware
    assert [e.id for e in checks.check_middleware()] == ["licensing.E002"]


def test_product_admin_without_the_licence_mixin():
    site = admin.AdminSite(name="scratch")
    site.register(Payslip, TenantScopedAdmin)
    errors = checks.check_product_admins(site=site)
    assert [e.id for e in errors] == ["licensing.E003"] and "payslips.Payslip" in errors[0].msg
