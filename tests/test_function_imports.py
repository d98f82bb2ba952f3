"""Imports of the project's own modules live at the top of the module.

An import inside a function hides the import graph (tests/test_layers.py
still sees it, a reader does not). At most ``ALLOWED`` remain outside
``AppConfig.ready()``, each with a one-line reason as a comment on its line
or the line above (a cycle the layer order cannot remove, an optional
library…). Every module of the project's apps and of ``kit/`` is parsed.
"""

import ast
from pathlib import Path

from django.conf import settings

from tests.test_layers import project_modules

ALLOWED = 10
PROJECT = ("kit", "accounts", "catalog", "licensing", "portal", "netdekomon", "attendance", "payslips", "reception")


def is_project_module(node: ast.AST, own_apps: set[str]) -> bool:
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return True
        names = [node.module or ""]
    else:
        names = [alias.name for alias in node.names]
    return any(name.split(".")[0] in own_apps for name in names)


def imports_in_functions(source: str, own_apps: set[str]):
    """(line, has a reason comment) of each project import inside a function other than ready()."""
    lines = source.splitlines()

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from visit(child, child.name)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                if function not in (None, "ready") and is_project_module(child, own_apps):
                    here, above = lines[child.lineno - 1], lines[child.lineno - 2].strip()
                    yield child.lineno, "#" in here or above.startswith("#")
            else:
                yield from visit(child, function)

    yield from visit(ast.parse(source), None)


def own_apps() -> set[str]:
    base = Path(settings.BASE_DIR)
    return {label for label, _path in project_modules()} | {
        p.name for p in base.iterdir() if (p / "__init__.py").exists()
    }


def test_few_imports_of_the_project_inside_functions_each_with_a_reason():
    base = Path(settings.BASE_DIR)
    found, silent = [], []
    apps_here = own_apps()
    for _label, path in project_modules():
        for line, reasoned in imports_in_functions(path.read_text(encoding="utf-8"), apps_here):
            where = f"{path.relative_to(base)}:{line}"
            found.append(where)
            if not reasoned:
                silent.append(where)
    assert len(found) <= ALLOWED, "hoist these to the top of their module:\n" + "\n".join(found)
    assert silent == [], "say in a comment why these imports stay in their function:\n" + "\n".join(silent)


def test_the_count_sees_nested_relative_and_silent_imports():
    source = (
        "def f():\n    from .models import User\n"
        "def g():\n    # cycle: services imports this module\n    from accounts.people import services\n"
        "class C:\n    def ready(self):\n        from . import checks\n"
        "def h():\n    import json\n"
    )
    assert list(imports_in_functions(source, {"accounts"})) == [(2, False), (5, True)]
