"""System checks for product apps (ids catalog.E001…), for the developer adding one.

Each check reads the declarations through ``registry.products()``, so a test
can hand it any list of products.
"""

from collections import Counter

from django.core.checks import Error, Tags, Warning, register
from django.urls import NoReverseMatch, resolve, reverse

from kit.access import Access, declared_level

from .registry import PRODUCT_CODE_MAX_LENGTH, PRODUCT_CODE_RE, url_patterns
from . import registry


@register(Tags.urls)
def check_products(app_configs=None, **kwargs):
    found = registry.products()
    errors = _duplicate_codes(found)
    for product in found:
        errors += _code(product)
        errors += _urls(product)
        errors += _undeclared_limited_views(product)
        errors += _demo_data(product)
        errors += _icon(product)
    return errors


def _duplicate_codes(found):
    return [
        Error(
            f"Product code '{code}' is declared by {count} apps.",
            hint="Each product app needs its own code in its AppConfig.product.",
            id="catalog.E001",
        )
        for code, count in Counter(p.code for p in found).items() if count > 1
    ]


def _code(product):
    max_length = PRODUCT_CODE_MAX_LENGTH
    if product.code and len(product.code) <= max_length and PRODUCT_CODE_RE.fullmatch(product.code):
        return []
    return [Error(
        f"Product code '{product.code}' cannot be stored as a licence.",
        hint=f"Use lower-case ASCII letters, digits and '_' (starting with a letter), "
             f"at most {max_length} characters.",
        id="catalog.E002",
    )]


def _urls(product):
    errors = []
    for url_name, feature in [(product.entry_url, None), *((f.url_name, f) for f in product.features)]:
        try:
            view = resolve(reverse(url_name)).func
        except NoReverseMatch:
            errors.append(Error(
                f"Product '{product.code}' names URL '{url_name}', which does not reverse.",
                hint=f"Define it without arguments in {product.app_label or product.code}/urls.py "
                     f"(app_name = '{product.code}').",
                id="catalog.E003",
            ))
            continue
        errors += _view_owner(product, url_name, view)
        if feature is not None:
            errors += _feature_level(product, feature, view)
    patterns = dict(url_patterns(product)) if product.app_label else {}
    for feature in product.features:
        for url_name in feature.other_urls:
            if url_name not in patterns:
                errors.append(Error(
                    f"Feature '{product.code}.{feature.code}' names URL '{url_name}', which does not exist.",
                    hint=f"Name a URL of {product.app_label}/urls.py as '{product.code}:<name>'.",
                    id="catalog.E003",
                ))
            else:
                errors += _feature_level(product, feature, patterns[url_name])
    return errors


def _undeclared_limited_views(product):
    """A view usable in the limited mode is one the declaration says is (policy matrix, contract)."""
    if not product.app_label:
        return []
    return [
        Error(
            f"URL '{url_name}' of product '{product.code}' is Access.LIMITED, "
            "but no limited feature names it.",
            hint="Add it to the Feature's other_urls (or to a Feature(limited=True)), "
                 "or declare the view Access.FULL.",
            id="catalog.E007",
        )
        for url_name, view in url_patterns(product)
        if declared_level(view) == Access.LIMITED and url_name not in product.limited_url_names
    ]


def _demo_data(product):
    """Another tenant's data is what the isolation suite and the contract try to reach."""
    from django.apps import apps

    if product.seed_demo or not product.app_label:
        return []
    models = [m for m in apps.get_app_config(product.app_label).get_models() if hasattr(m, "tenant_path")]
    if not models:
        return []
    return [Error(
        f"Product '{product.code}' has tenant-owned models ({models[0]._meta.label}…) but no seed_demo hook.",
        hint="Declare seed_demo='<app>.demo.seed', a function f(*, tenant, users) that creates "
             "rows of every tenant-owned model; the tenant-isolation tests need them.",
        id="catalog.E008",
    )]


def _view_owner(product, url_name, view):
    from django.apps import apps

    view = getattr(view, "view_class", view)
    owner = apps.get_containing_app_config(getattr(view, "__module__", "") or "")
    if owner is not None and owner.label == product.app_label:
        return []
    return [Error(
        f"Product '{product.code}' names URL '{url_name}', whose view is not in the app "
        f"'{product.app_label or product.code}'; its licence would not guard it.",
        hint="Point the product's entry URL and features at views of the product app itself.",
        id="catalog.E006",
    )]


def _feature_level(product, feature, view):
    level = declared_level(view)
    expected = Access.LIMITED if feature.limited else Access.FULL
    if level is None:
        return [Error(
            f"Feature '{product.code}.{feature.code}' view has no access declaration.",
            hint=f"Decorate it with @access(Access.{expected.name}).",
            id="catalog.E004",
        )]
    if level != expected:
        return [Error(
            f"Feature '{product.code}.{feature.code}' is declared "
            f"{'limited' if feature.limited else 'full'} but its view is Access.{level.name}.",
            hint=f"Use @access(Access.{expected.name}) or change Feature(limited=…).",
            id="catalog.E005",
        )]
    return []


def _icon(product):
    from django.contrib.staticfiles import finders

    if product.icon and finders.find(product.icon):
        return []
    return [Warning(
        f"Product '{product.code}' icon '{product.icon}' is not a static file.",
        hint=f"Add it as {product.app_label or product.code}/static/{product.icon}.",
        id="catalog.W001",
    )]
