"""Translation catalogues: complete, compiled, and in step with the source.

The msgids are the Japanese text (LANGUAGE_CODE = 'ja'). <catalogue>/en holds
the English, <catalogue>/ja sets every msgstr to its msgid. The catalogues are
the project's ``locale/`` and the ``locale/`` folder of any installed app of
this project that keeps its own (makemessages fills it with that app's
strings). The compiled .mo files are committed (a fresh machine has no GNU
gettext), so they are checked here against the .po files with Python's own
gettext reader. The source folders are the installed apps of this project,
the project package and the project templates, so a new product app is
checked the day it is installed.
"""

import ast
import gettext
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests.helpers import is_project_path

BASE = Path(settings.BASE_DIR).resolve()
LOCALE = BASE / "locale"
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def project_folders() -> list[Path]:
    """Every installed app of this project, the project package, the kit and the project templates."""
    folders = [Path(c.path).resolve() for c in apps.get_app_configs()]
    folders.append(Path(import_module(settings.ROOT_URLCONF).__file__).resolve().parent)
    folders.append(Path(import_module("kit").__file__).resolve().parent)  # a package, not an app
    folders += [Path(d).resolve() for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    return sorted({f for f in folders if is_project_path(f)})


CATALOGUES = [LOCALE, *(f / "locale" for f in project_folders() if (f / "locale").is_dir())]


def read_po(locale: Path, lang: str) -> list[dict]:
    """Entries of <locale>/<lang>/LC_MESSAGES/django.po: keyword → text, plus flags."""
    text = (locale / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields, flags, keyword = {}, [], None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [f.strip() for f in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            else:
                match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "', line)
                keyword = match.group(1) if match else keyword
                body = re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], line[line.index('"') + 1:-1])
                fields[keyword] = fields.get(keyword, "") + body if not match else body
        if fields.get("msgid"):  # not the header
            entries.append({**fields, "flags": flags})
    return entries


def msgstrs(entry: dict) -> list[str]:
    return [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]


EN = {locale: read_po(locale, "en") for locale in CATALOGUES}
JA = {locale: read_po(locale, "ja") for locale in CATALOGUES}
by_catalogue = pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))


def test_the_project_catalogue_is_found():
    assert CATALOGUES[0] == LOCALE and len(EN[LOCALE]) > 400


@by_catalogue
def test_english_catalogue_is_complete_and_has_nothing_fuzzy(locale):
    en = EN[locale]
    untranslated = [e["msgid"] for e in en if not all(msgstrs(e))]
    fuzzy = [e["msgid"] for e in en if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    # English plurals have both forms, and an English text is not the Japanese one.
    assert all(len(msgstrs(e)) == 2 for e in en if "msgid_plural" in e)
    assert [e["msgid"] for e in en if e["msgid"] in msgstrs(e) and e["msgid"] != "English"] == []


@by_catalogue
def test_english_keeps_every_placeholder(locale):
    en = EN[locale]
    placeholders = re.compile(r"%\(\w+\)[sd]")
    wrong = [e["msgid"] for e in en if "python-format" in e["flags"]
             for s in msgstrs(e) if sorted(placeholders.findall(s)) != sorted(placeholders.findall(e["msgid"]))]
    assert wrong == []


@by_catalogue
def test_japanese_catalogue_has_every_msgid_as_its_own_translation(locale):
    en, ja = EN[locale], JA[locale]
    assert {e["msgid"] for e in ja} == {e["msgid"] for e in en}
    assert [e["msgid"] for e in ja if "fuzzy" in e["flags"]] == []
    # Japanese has one plural form (nplurals=1): msgstr[0] only.
    assert [e["msgid"] for e in ja if msgstrs(e) != [e["msgid"]]] == []


@by_catalogue
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_committed_mo_file_matches_its_po_file(locale, lang):
    """compilemessages was run after the last .po change (the .mo is what Django reads)."""
    entries = (EN if lang == "en" else JA)[locale]
    with open(locale / lang / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = []
    for entry in entries:
        if "msgid_plural" in entry:
            got = [catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            want = [entry["msgstr[0]"], entry.get("msgstr[1]", entry["msgstr[0]"])]
        else:
            got, want = catalogue.gettext(entry["msgid"]), entry["msgstr"]
        if got != want:
            stale.append(entry["msgid"])
    assert stale == []
    # One key per msgstr (plural forms count separately) plus the header: nothing left from an old .po.
    assert len(catalogue._catalog) == sum(len(msgstrs(e)) for e in entries) + 1




GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
                 "gettext_noop"}


def source_msgids() -> set[str]:
    """What ``makemessages`` would extract: gettext calls in Python, trans/blocktrans in templates."""
    from django.utils.translation.template import templatize

    found = set()
    for folder in project_folders():
        for path in sorted(folder.rglob("*")):
            if {"migrations", "tests"} & set(path.parts) or path.suffix not in (".py", ".html", ".txt"):
                continue
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".py":
                for node in ast.walk(ast.parse(text)):
                    name = getattr(node, "func", None)
                    name = getattr(name, "id", getattr(name, "attr", None))
                    if isinstance(node, ast.Call) and name in GETTEXT_CALLS:
                        args = node.args[1:] if name.startswith("pgettext") else node.args
                        strings = [a.value for a in args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                        found.update(strings[:2] if name.startswith("ngettext") else strings[:1])
            else:
                code = templatize(text, origin=str(path))
                for literal in re.findall(r"""(?:gettext|_)\(\s*(u?'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""", code):
                    found.add(ast.literal_eval(literal.removeprefix("u")))
                for pair in re.findall(r"""ngettext\(\s*(u?'(?:[^'\\]|\\.)*'),\s*(u?'(?:[^'\\]|\\.)*')""", code):
                    found.update(ast.literal_eval(s.removeprefix("u")) for s in pair)
    return found


def test_the_source_folders_are_found():
    names = {folder.name for folder in project_folders()}
    assert {"accounts", "catalog", "licensing", "portal", "netdekomon", "templates"} <= names
    from catalog.registry import products

    assert {p.app_label for p in products()} <= names


def test_catalogues_are_up_to_date_with_the_source():
    """A string wrapped in gettext but missing from the catalogues shows in Japanese to English users.

    Fix: the commands in README.md, "Translations" (makemessages, scripts/translations.py,
    translate the English, compilemessages)."""
    entries = [e for locale in CATALOGUES for e in EN[locale]]
    in_catalogue = {e["msgid"] for e in entries} | {e["msgid_plural"] for e in entries if "msgid_plural" in e}
    assert sorted(source_msgids() - in_catalogue) == []
    assert sorted(in_catalogue - source_msgids()) == []  # makemessages --no-obsolete leaves nothing behind
