"""The house rules a newcomer relies on to find their way (README, "Architecture").

- No folder holds more than MAX_MODULES Python modules: a folder that grows
  past it is split into parts with a job each, as ``accounts/`` was.
- No module of the application or its tests passes MAX_LINES lines.
  Migrations (generated) and the standalone programs in ``scripts/`` and
  ``bench/`` are aside.
- Tests sit beside their code and are found without being registered: a new
  app's ``tests/`` folder is collected by a plain ``pytest``.
"""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

MAX_MODULES = 20
MAX_LINES = 300
NEVER_WALKED = {".git", ".venv", "node_modules", "__pycache__", "staticfiles", "static", "locale"}
PROGRAMS = {"scripts", "bench"}


def project_python_files():
    base = Path(settings.BASE_DIR)
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(base).parts
        if not NEVER_WALKED & set(parts[:-1]) and not any(p.startswith(".") for p in parts[:-1]):
            yield path.relative_to(base)


def test_no_folder_is_a_basement():
    per_folder = {}
    for path in project_python_files():
        per_folder.setdefault(path.parent, []).append(path.name)
    assert len(per_folder) > 30
    crowded = {str(folder): len(names) for folder, names in per_folder.items() if len(names) > MAX_MODULES}
    assert crowded == {}, "split these folders into parts with a job each"


def test_no_module_is_a_wall_of_text():
    long = {}
    for path in project_python_files():
        if "migrations" in path.parts or path.parts[0] in PROGRAMS:
            continue
        lines = (Path(settings.BASE_DIR) / path).read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            long[str(path)] = lines
    assert long == {}, "split these modules by what they do"


def test_the_rules_see_the_known_folders():
    seen = {str(p.parent) for p in project_python_files()}
    assert {"accounts/sessions", "accounts/sessions/tests", "kit", "attendance/tests", "tests/security"} <= seen
    assert not any(s.startswith(".venv") for s in seen)


def test_a_new_apps_tests_are_collected_with_nothing_registered(tmp_path):
    """The project's pytest.ini, in a scratch copy with a new app beside the
    virtualenv and the benchmark folders: a plain ``pytest`` finds the app's
    tests and nothing in the folders it must not walk."""
    (tmp_path / "pytest.ini").write_text((Path(settings.BASE_DIR) / "pytest.ini").read_text(encoding="utf-8"))
    for folder, name in [("expenses/tests", "test_claims.py"), ("expenses/claims/tests", "test_totals.py"),
                         (".venv/lib/site-packages/somepkg", "test_theirs.py"), ("bench", "test_bench.py"),
                         ("scripts", "test_script.py")]:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "__init__.py").write_text("")
        (tmp_path / folder / name).write_text("def test_found():\n    assert True\n")
    for package in ("expenses", "expenses/claims"):
        (tmp_path / package / "__init__.py").write_text("")
    found = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:django", "-p", "no:cacheprovider",
         "-p", "no:xdist"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    ).stdout
    collected = sorted(line.split("::")[0] for line in found.splitlines() if "::" in line)
    assert collected == ["expenses/claims/tests/test_totals.py", "expenses/tests/test_claims.py"], found
