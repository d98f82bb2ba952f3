"""docs/configuration.md lists every environment variable the project reads,
with its default and where it is read: a variable added to the settings
without a line there, or a line left for a variable nobody reads any more,
fails here.

The reads are found in the source, not kept in a list: every module of the
settings package (``env(...)``, ``env.str/int/bool/float/list/db(...)``,
``os.environ``, ``os.getenv``), gunicorn.conf.py and scripts/prod.sh
(``$VAR`` / ``${VAR:-default}``)."""

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "configuration.md"
PYTHON_SOURCES = [*sorted((ROOT / "netdekomon" / "settings").glob("*.py")), ROOT / "gunicorn.conf.py"]
SHELL_SOURCES = [ROOT / "scripts" / "prod.sh"]
NO_DEFAULT = object()


def _is_os_environ(node):
    return (isinstance(node, ast.Attribute) and node.attr == "environ"
            and isinstance(node.value, ast.Name) and node.value.id == "os")


def _constant(node):
    """The value of a default written as a constant expression (``12 * 3600``), else NO_DEFAULT."""
    if node is None:
        return NO_DEFAULT
    allowed = (ast.Constant, ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop)
    if not all(isinstance(part, allowed) for part in ast.walk(node)):
        return NO_DEFAULT
    return eval(compile(ast.Expression(node), "<default>", "eval"), {"__builtins__": {}})  # noqa: S307


def _python_reads(path):
    """(variable, default or NO_DEFAULT) for each environment read in a Python file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            yield node.slice, None
        if not isinstance(node, ast.Call):
            continue
        func, default = node.func, None
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        if isinstance(func, ast.Name) and func.id == "env":  # env("X", default=...)
            default = keywords.get("default")
        elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
              and func.value.id == "env"):  # env.int("X", default=...)
            default = keywords.get("default")
        elif isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault", "pop") \
                and _is_os_environ(func.value):  # os.environ.get("X", default)
            if func.attr == "setdefault":
                continue  # sets a variable for what it starts (manage.py style), reads none
            default = node.args[1] if len(node.args) > 1 else None
        elif (isinstance(func, ast.Attribute) and func.attr == "getenv"
              and isinstance(func.value, ast.Name) and func.value.id == "os"):
            default = node.args[1] if len(node.args) > 1 else None
        else:
            continue
        assert node.args, f"{path.name}:{node.lineno}: an environment read without a variable name"
        yield node.args[0], _constant(default)


def environment_reads():
    """{variable: {"where": {relative path}, "defaults": {default}}} over every source."""
    reads = defaultdict(lambda: {"where": set(), "defaults": set()})
    for path in PYTHON_SOURCES:
        for name, default in _python_reads(path):
            assert isinstance(name, ast.Constant) and isinstance(name.value, str), (
                f"{path.relative_to(ROOT)}:{name.lineno}: the variable's name must be written out, "
                "so that docs/configuration.md can list it")
            reads[name.value]["where"].add(str(path.relative_to(ROOT)))
            if default is not NO_DEFAULT and default not in (None, ""):
                reads[name.value]["defaults"].add(default)
    for path in SHELL_SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                continue
            for name, default in re.findall(r"\$\{?([A-Z][A-Z0-9_]*)(?::-([^}]*))?", line):
                reads[name]["where"].add(str(path.relative_to(ROOT)))
                if default:
                    reads[name]["defaults"].add(default)
    return reads


def documented():
    """{variable: (default cell, where cell)} from the tables of docs/configuration.md."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4 or not re.fullmatch(r"`[A-Z][A-Z0-9_]*`", cells[0]):
            continue
        name = cells[0].strip("`")
        assert name not in rows, f"docs/configuration.md lists {name} twice"
        rows[name] = (cells[1], cells[3])
    return rows


def _shown(value):
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def test_the_search_finds_the_reads_of_every_kind_of_source():
    reads = environment_reads()
    assert "netdekomon/settings/database.py" in reads["DATABASE_URL"]["where"]  # env.db
    assert "netdekomon/settings/base.py" in reads["DEBUG"]["where"]  # env.bool
    assert reads["BIND"]["where"] == {"gunicorn.conf.py"}  # os.environ.get
    assert reads["MIGRATE"]["where"] == {"scripts/prod.sh"}  # ${MIGRATE:-1}
    assert reads["SESSION_ABSOLUTE_SECONDS"]["defaults"] == {43200}  # 12 * 3600


def test_every_variable_read_is_documented_and_every_documented_one_is_read():
    reads, rows = environment_reads(), documented()
    missing = {name: sorted(read["where"]) for name, read in reads.items() if name not in rows}
    assert not missing, f"read but not in docs/configuration.md: {missing}"
    stale = sorted(set(rows) - set(reads))
    assert not stale, f"in docs/configuration.md but read nowhere: {stale}"


def test_each_documented_default_and_place_is_the_one_in_the_code():
    reads, rows = environment_reads(), documented()
    wrong = []
    for name, read in sorted(reads.items()):
        default_cell, where_cell = rows.get(name, ("", ""))
        wrong += [f"{name}: default {_shown(default)} not in {default_cell!r}"
                  for default in read["defaults"] if _shown(default) not in default_cell]
        wrong += [f"{name}: read in {path}, not said in {where_cell!r}"
                  for path in sorted(read["where"]) if path.removeprefix("netdekomon/") not in where_cell]
    assert not wrong, "docs/configuration.md is out of date:\n" + "\n".join(wrong)


def test_every_module_of_the_settings_package_is_read():
    """A module left out of netdekomon/settings/__init__.py would hold settings, and
    environment reads listed above, that Django never sees."""
    package = ROOT / "netdekomon" / "settings"
    imported = {node.module for node in ast.parse((package / "__init__.py").read_text(encoding="utf-8")).body
                if isinstance(node, ast.ImportFrom) and node.level == 1}
    modules = {path.stem for path in package.glob("*.py")} - {"__init__"}
    assert modules - imported == set(), "import them in netdekomon/settings/__init__.py"
