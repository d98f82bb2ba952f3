"""Product apps declare themselves; the core discovers them.

A product app is an ordinary Django app whose ``AppConfig`` has a
``product`` attribute (like django-otp finds devices by walking the
installed apps). Installing the app is registering it::

    class AttendanceConfig(AppConfig):
        name = "attendance"
        product = Product(
            code="attendance", name=_("ネット de 就業"), icon="attendance/icon.svg",
            entry_url="attendance:punch", order=10,
            features=[
                Feature("punch", _("打刻"), "attendance:punch", limited=True),
                Feature("requests", _("届出申請"), "attendance:requests"),
            ],
        )

URL names are stored and reversed when the portal renders.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from django.apps import apps
from django.core.signals import setting_changed
from django.dispatch import receiver

# A product code is a licence key, a URL prefix (/<code>/) and a URL namespace.
PRODUCT_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PRODUCT_CODE_MAX_LENGTH = 50


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    url_name: str
    limited: bool = False  # usable in the limited mode (no code)
    admin_only: bool = False  # shown to company administrators only
    other_urls: tuple = ()  # URL names of the feature's other pages (detail, print…), at its level

    @property
    def url_names(self) -> tuple:
        return (self.url_name, *self.other_urls)


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    icon: str  # static path of the icon
    entry_url: str  # URL name of the app's entry page
    features: tuple = ()
    order: int = 100
    admin_permissions: tuple = ()  # "app_label.codename" granted to 会社管理者
    seed_demo: str = ""  # dotted path of f(*, tenant, users) filling demo data
    app_label: str = field(default="", compare=False)

    @property
    def limited_features(self):
        return [f for f in self.features if f.limited]

    @property
    def limited_url_names(self) -> set:
        """Every URL name usable in the limited mode; the product's other URLs need the code."""
        return {name for f in self.features if f.limited for name in f.url_names}

    @property
    def admin_only_url_names(self) -> set:
        return {name for f in self.features if f.admin_only for name in f.url_names}


def url_patterns(product) -> list:
    """(URL name, callback) of every pattern in the product app's ``urls.py``."""
    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns)
            else:
                yield f"{product.code}:{pattern.name}", pattern.callback

    return list(walk(import_module(f"{product.app_label}.urls").urlpatterns))


@lru_cache(maxsize=1)
def products() -> tuple[Product, ...]:
    """Every installed product, in declared order."""
    found = []
    for config in apps.get_app_configs():
        product = getattr(config, "product", None)
        if isinstance(product, Product):
            found.append(_with_label(product, config.label))
    return tuple(sorted(found, key=lambda p: (p.order, p.code)))


def _with_label(product, label):
    from dataclasses import replace

    features = tuple(replace(f, other_urls=tuple(f.other_urls)) for f in product.features)
    return replace(product, app_label=label, features=features,
                   admin_permissions=tuple(product.admin_permissions))


@lru_cache(maxsize=None)
def _product_by_module(module: str):
    config = apps.get_containing_app_config(module)
    if config is None:
        return None
    return next((p for p in products() if p.app_label == config.label), None)


def product_for_view(view_func):
    """The product whose app defines ``view_func``, or None for core views.

    An admin page of a product app's model belongs to that product too.
    """
    model_admin = getattr(view_func, "model_admin", None)
    if model_admin is not None:
        return product_for_model(model_admin.model)
    view = getattr(view_func, "view_class", view_func)
    return _product_by_module(getattr(view, "__module__", "") or "")


def product_for_model(model):
    """The product whose app defines ``model``, or None."""
    return _product_by_module(model.__module__)


def product_by_code(code: str):
    return next((p for p in products() if p.code == code), None)


@receiver(setting_changed, dispatch_uid="catalog.registry.reset")
def _reset(setting, **kwargs):
    if setting == "INSTALLED_APPS":
        products.cache_clear()
        _product_by_module.cache_clear()
