"""Layers point one way (README, "Architecture").

Bottom first: ``kit`` (the product's tools; Django only) ← ``accounts``
(identity, sessions, the console) ← ``sso`` (single sign-on) ← ``catalog`` (the product registry) ←
``licensing`` ← ``kit.core`` (the facade of accounts and licensing for
products) ← ``portal`` ← the product apps. A module may import its own app
and the layers below it, never one above, not even inside a function; a
product app imports only the kit and the catalogue, never ``accounts``,
``licensing`` or another product app. The files are not listed: every module
of every installed app of this project, and of ``kit/``, is parsed, and the
product apps are the ones the catalogue finds.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from catalog.registry import products

from tests.helpers import is_project_path

CORE_LAYERS = ["kit", "accounts", "sso", "catalog", "licensing", "kit.core", "portal"]  # bottom first
PRODUCT_MAY_IMPORT = {"kit", "kit.core", "catalog"}


def label_of(module: str) -> str | None:
    """The layer name of a module: an app label, ``kit`` or ``kit.core``; None outside the project."""
    if module == "kit.core" or module.startswith("kit.core."):
        return "kit.core"
    if module == "kit" or module.startswith("kit."):
        return "kit"
    target = apps.get_containing_app_config(module)
    return target.label if target is not None else None


def layer_of(label: str) -> int | None:
    if label in CORE_LAYERS:
        return CORE_LAYERS.index(label)
    if label in {p.app_label for p in products()}:
        return len(CORE_LAYERS)
    return None


def project_apps():
    return [c for c in apps.get_app_configs() if is_project_path(c.path)]


def imported_modules(source: str):
    """(line, absolute module name) of every import, nested ones included."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:  # "from licensing import services"
                yield node.lineno, f"{node.module}.{alias.name}"


def wrong_imports(label: str, source: str, where: str) -> list[str]:
    own = layer_of(label)
    product = own == len(CORE_LAYERS)
    found = []
    for line, module in imported_modules(source):
        target = label_of(module)
        if target is None or target == label:
            continue
        other = layer_of(target)
        if other is None:
            continue  # Django, the libraries, or a project app outside the layers (bench)
        if other > own or (product and target not in PRODUCT_MAY_IMPORT):
            found.append(f"{where}:{line} ({label}) imports {module} ({target})")
    return sorted(set(found))


def project_modules():
    """(layer name, path) of every module of the project's apps and of the kit.

    Tests are left out: they sit beside their code (``<part>/tests/``) and may
    reach across layers to set a scene."""
    base = Path(settings.BASE_DIR)
    for config in project_apps():
        for path in sorted(Path(config.path).rglob("*.py")):
            if not is_test_module(path):
                yield config.label, path
    for path in sorted((base / "kit").rglob("*.py")):
        if not is_test_module(path):
            yield label_of(".".join(path.relative_to(base).with_suffix("").parts)), path


def is_test_module(path) -> bool:
    return "tests" in Path(path).parts or Path(path).name == "conftest.py"


def test_every_project_app_has_a_layer():
    unknown = [c.label for c in project_apps() if layer_of(c.label) is None]
    assert unknown == [], "add the app to CORE_LAYERS here and to the README, or declare it a product"


def test_no_module_imports_a_higher_layer():
    base = Path(settings.BASE_DIR)
    wrong, parsed = [], 0
    for label, path in project_modules():
        wrong += wrong_imports(label, path.read_text(encoding="utf-8"), str(path.relative_to(base)))
        parsed += 1
    assert parsed > 50
    assert wrong == [], "\n" + "\n".join(wrong)


@pytest.mark.parametrize("source", [
    "from licensing.services import is_licensed",
    "def f():\n    from catalog import registry\n",
    "import portal.views",
    "from attendance.models import Punch",
])
def test_the_walk_sees_an_upward_import(source):
    assert wrong_imports("accounts", source, "accounts/x.py")


def test_a_product_app_may_not_import_another():
    codes = [p.app_label for p in products()]
    assert wrong_imports(codes[0], f"from {codes[1]} import models", "x.py")
    assert wrong_imports(codes[0], "from kit.access import access", "x.py") == []


@pytest.mark.parametrize("source", [
    "from accounts.models import User",
    "from accounts.sessions.state import reached_level",
    "def f():\n    from accounts.audit import events\n",
    "from licensing.admin_mixins import ProductAdmin",
])
def test_a_product_app_imports_accounts_only_through_the_kit(source):
    for product in products():
        assert wrong_imports(product.app_label, source, "x.py")
        assert wrong_imports(product.app_label, "from kit.core import User, ProductAdmin", "x.py") == []
        assert wrong_imports(product.app_label, "from catalog.registry import products", "x.py") == []


@pytest.mark.parametrize("label, source", [
    ("kit", "from accounts.models import User"),
    ("kit", "from kit.core import User"),
    ("accounts", "from kit.core import reached_level"),
    ("licensing", "def f():\n    from kit.core import ProductAdmin\n"),
])
def test_the_kit_sits_below_accounts_and_its_facade_above_licensing(label, source):
    assert wrong_imports(label, source, "x.py")
