"""Layers point one way (README, "How it is built").

Bottom first: ``accounts`` (identity, sessions, access levels) ← ``catalog``
(the product registry) ← ``licensing`` ← ``portal`` ← the product apps. A
module may import its own app and the layers below it, never one above, not
even inside a function; a product app never imports another product app.
The files are not listed: every module of every installed app of this
project is parsed, and the product apps are the ones the catalogue finds.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from catalog.registry import products

CORE_LAYERS = ["accounts", "catalog", "licensing", "portal"]  # bottom first

from tests.helpers import is_project_path


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
    found = []
    for line, module in imported_modules(source):
        target = apps.get_containing_app_config(module)
        if target is None or target.label == label:
            continue
        other = layer_of(target.label)
        if other is None:
            continue  # Django, the libraries, or a project app outside the layers (bench)
        if other > own or (other == own == len(CORE_LAYERS)):
            found.append(f"{where}:{line} ({label}) imports {module} ({target.label})")
    return sorted(set(found))


def test_every_project_app_has_a_layer():
    unknown = [c.label for c in project_apps() if layer_of(c.label) is None]
    assert unknown == [], "add the app to CORE_LAYERS here and to the README, or declare it a product"


def test_no_module_imports_a_higher_layer():
    base = Path(settings.BASE_DIR)
    wrong, parsed = [], 0
    for config in project_apps():
        for path in sorted(Path(config.path).rglob("*.py")):
            wrong += wrong_imports(config.label, path.read_text(encoding="utf-8"), str(path.relative_to(base)))
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
