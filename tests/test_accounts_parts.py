"""The parts of ``accounts`` point one way (README, "Architecture").

Bottom first: the base (``models``, ``event_kinds``, ``event_mails``, ``policy``, ``hashers``, ``errors``,
``shared_cache``) ← ``audit`` ← ``mfa`` ← ``sessions`` ← ``identity`` ←
``activity`` ← ``login`` ← ``people`` ← ``views`` ← ``console`` ← the app's
wiring (``apps``, ``admin``, ``urls``, ``checks``, ``context_processors``,
``backends``, ``management``, ``templatetags``). A module imports its own part and the
parts below it, not even inside a function one above; each part's
``__init__`` says so in its docstring. Every module of ``accounts/`` is parsed,
its tests aside.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

PARTS = ["base", "audit", "mfa", "sessions", "identity", "activity", "login", "people", "views", "console", "wiring"]
BASE = {"models", "event_kinds", "event_mails", "policy", "hashers", "errors", "shared_cache"}


def part_of(module: str) -> str | None:
    """The part of an ``accounts`` module; None for any other module."""
    names = module.split(".")
    if names[0] != "accounts":
        return None
    if len(names) == 1:
        return None  # "from accounts import x": the names are checked one by one
    if names[1] in BASE:
        return "base"
    return names[1] if names[1] in PARTS else "wiring"


def imports(source: str, module: str, is_package: bool):
    """(line, absolute module) of every import, nested and relative ones included."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            yield node.lineno, target
            for alias in node.names:  # "from accounts.audit import events"
                yield node.lineno, f"{target}.{alias.name}"


def wrong_imports(module: str, source: str, is_package: bool = False) -> list[str]:
    own = PARTS.index(part_of(module) or "wiring")
    found = []
    for line, target in imports(source, module, is_package):
        other = part_of(target)
        if other is not None and PARTS.index(other) > own:
            found.append(f"{module}:{line} ({part_of(module)}) imports {target} ({other})")
    return sorted(set(found))


def accounts_modules():
    base = Path(settings.BASE_DIR)
    for path in sorted((base / "accounts").rglob("*.py")):
        if "tests" in path.relative_to(base).parts:
            continue  # a part's tests may set a scene with any part
        names = path.relative_to(base).with_suffix("").parts
        is_package = names[-1] == "__init__"
        yield ".".join(names[:-1] if is_package else names), path, is_package


def test_no_part_of_accounts_imports_a_higher_one():
    wrong, parsed = [], 0
    for module, path, is_package in accounts_modules():
        wrong += wrong_imports(module, path.read_text(encoding="utf-8"), is_package)
        parsed += 1
    assert parsed > 50
    assert wrong == [], "\n" + "\n".join(wrong)


def test_every_part_says_what_it_may_import():
    base = Path(settings.BASE_DIR) / "accounts"
    for part in PARTS:
        if part in {"base", "wiring"}:
            continue
        doc = ast.get_docstring(ast.parse((base / part / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, part


def test_every_folder_of_accounts_is_a_declared_part():
    base = Path(settings.BASE_DIR) / "accounts"
    folders = {p.name for p in base.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders - set(PARTS) - BASE == {"management", "migrations", "templatetags", "tests"}


@pytest.mark.parametrize("module, source", [
    ("accounts.audit.events", "from accounts.sessions import state"),
    ("accounts.sessions.state", "def f():\n    from accounts.identity.lockout import CEILING\n"),
    ("accounts.models", "from .audit import events"),
    ("accounts.people.services", "from ..console.site import ConsoleSite"),
    ("accounts.identity.lockout", "from accounts import checks"),
])
def test_the_walk_sees_an_upward_import(module, source):
    assert wrong_imports(module, source)


def test_the_walk_allows_a_downward_import():
    assert wrong_imports("accounts.console.users", "from ..people import services\nfrom accounts.models import User") == []
