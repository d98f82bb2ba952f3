"""System checks for product apps (ids portal.E001…), for the developer adding one."""

from collections import Counter

from django.core.checks import Error, Tags, register
from django.urls import NoReverseMatch, resolve, reverse


@register(Tags.urls)
def check_products(app_configs=None, **kwargs):
    from accounts.access import Access, declared_level
    from licensing.models import Licence

    from .registry import products

    errors = []
    found = products()
    for code, count in Counter(p.code for p in found).items():
        if count > 1:
            errors.append(Error(
                f"Product code '{code}' is declared by {count} apps.",
                hint="Each product app needs its own code in its AppConfig.product.",
                id="portal.E001",
            ))
    max_length = Licence._meta.get_field("product_code").max_length
    for product in found:
        if not product.code or len(product.code) > max_length or not product.code.isidentifier():
            errors.append(Error(
                f"Product code '{product.code}' cannot be stored as a licence.",
                hint=f"Use a Python identifier of at most {max_length} characters.",
                id="portal.E002",
            ))
        for url_name in [product.entry_url, *(f.url_name for f in product.features)]:
            try:
                path = reverse(url_name)
            except NoReverseMatch:
                errors.append(Error(
                    f"Product '{product.code}' names URL '{url_name}', which does not reverse.",
                    hint=f"Define it in {product.app_label}/urls.py (app_name = '{product.code}').",
                    id="portal.E003",
                ))
                continue
            if url_name == product.entry_url:
                continue
            feature = next(f for f in product.features if f.url_name == url_name)
            level = declared_level(resolve(path).func)
            expected = Access.LIMITED if feature.limited else Access.FULL
            if level is None:
                errors.append(Error(
                    f"Feature '{product.code}.{feature.code}' view has no access declaration.",
                    hint=f"Decorate it with @access(Access.{expected.name}).",
                    id="portal.E004",
                ))
            elif level != expected:
                errors.append(Error(
                    f"Feature '{product.code}.{feature.code}' is declared "
                    f"{'limited' if feature.limited else 'full'} but its view is Access.{level.name}.",
                    hint=f"Use @access(Access.{expected.name}) or change Feature(limited=…).",
                    id="portal.E005",
                ))
    return errors
