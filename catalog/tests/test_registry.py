"""The product catalogue (registry of product apps) and its system checks (catalog.E001…)."""

from dataclasses import replace

import pytest
from django.core.management import call_command
from django.urls import get_resolver

from catalog import checks, registry
from catalog.registry import Feature, Product


@pytest.fixture
def declared(monkeypatch):
    """Run the checks against a given list of product declarations.

    Whatever is built from ``products()`` once per process must be built from the
    installed products, not from a test's list, or the tests after it in the process
    find products gone: the site's URLs (each product's prefix, read when the URLconf
    is first imported) and the product of each module (cached)."""
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf with the installed products

    def run(*found):
        monkeypatch.setattr(registry, "products", lambda: tuple(found))
        registry._product_by_module.cache_clear()
        try:
            return checks.check_products()
        finally:
            registry._product_by_module.cache_clear()
    return run


def ids(errors):
    return sorted(e.id for e in errors)


def real(code):
    product = registry.product_by_code(code)
    assert product is not None
    return product


def test_installed_apps_declare_themselves_in_order():
    found = registry.products()
    assert [p.order for p in found] == sorted(p.order for p in found)
    for product in found:
        assert product.app_label and product.features
    assert registry.product_by_code("attendance").app_label == "attendance"


def test_installed_products_pass_every_check(declared):
    assert declared(*registry.products()) == []
    call_command("check", fail_level="WARNING")


def test_duplicate_product_codes(declared):
    attendance = real("attendance")
    errors = declared(attendance, replace(attendance, app_label="payslips", name="複製"))
    e001 = [e for e in errors if e.id == "catalog.E001"]
    assert len(e001) == 1 and "attendance" in e001[0].msg and e001[0].hint


@pytest.mark.parametrize("code", ["", "Attendance", "勤怠", "has-dash", "x" * 51, "1st"])
def test_product_code_that_cannot_be_a_licence(declared, code):
    errors = declared(replace(real("attendance"), code=code))
    assert "catalog.E002" in ids(errors)
    assert next(e for e in errors if e.id == "catalog.E002").hint


def test_url_name_that_does_not_reverse(declared):
    attendance = real("attendance")
    errors = declared(replace(attendance, entry_url="attendance:nope",
                              features=(Feature("x", "x", "missing:url"),)))
    e003 = [e for e in errors if e.id == "catalog.E003"]
    assert {e.msg.split("'")[3] for e in e003} == {"attendance:nope", "missing:url"}
    assert all(e.hint for e in e003)


@pytest.mark.urls("catalog.tests.urls_undeclared_feature")
def test_feature_view_without_access_declaration(declared):
    attendance = real("attendance")
    errors = declared(replace(attendance, features=(Feature("x", "x", "undeclared"),)))
    assert "catalog.E004" in ids(errors)
    assert "@access(Access.FULL)" in next(e for e in errors if e.id == "catalog.E004").hint


@pytest.mark.parametrize("code", ["attendance", "payslips", "reception"])
def test_feature_level_contradicting_the_view(declared, code):
    product = real(code)
    flipped = tuple(replace(f, limited=not f.limited) for f in product.features)
    errors = declared(replace(product, features=flipped))
    assert ids(errors).count("catalog.E005") == sum(len(f.url_names) for f in flipped)


def test_limited_view_that_no_feature_names(declared):
    attendance = real("attendance")
    features = tuple(replace(f, other_urls=()) for f in attendance.features)
    errors = [e for e in declared(replace(attendance, features=features)) if e.id == "catalog.E007"]
    assert [e.msg.split("'")[1] for e in errors] == ["attendance:month_of"] and errors[0].hint


def test_other_url_that_does_not_exist(declared):
    payslips = real("payslips")
    view = replace(payslips.features[0], other_urls=("payslips:detail", "payslips:print", "payslips:nope"))
    errors = declared(replace(payslips, features=(view, *payslips.features[1:])))
    assert ids(errors) == ["catalog.E003"] and "payslips:nope" in errors[0].msg


def test_tenant_models_without_demo_data(declared):
    errors = declared(replace(real("reception"), seed_demo=""))
    assert ids(errors) == ["catalog.E008"] and errors[0].hint


def test_feature_view_outside_the_product_app(declared):
    errors = declared(replace(real("reception"), features=(Feature("help", "help", "portal:help", limited=True),)))
    assert "catalog.E006" in ids(errors)


def test_missing_icon_is_a_warning(declared):
    errors = declared(replace(real("payslips"), icon="payslips/missing.svg"))
    assert ids(errors) == ["catalog.W001"]


def test_registry_is_rediscovered_when_apps_change(settings):
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "reception"]
    assert "reception" not in [p.code for p in registry.products()]
