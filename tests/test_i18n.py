"""Translation catalogues: complete, compiled, and used by the English switch.

The msgids are the Japanese text (LANGUAGE_CODE = 'ja'). locale/en holds the
English, locale/ja sets every msgstr to its msgid. The compiled .mo files are
committed (a fresh machine has no GNU gettext), so they are checked here
against the .po files with Python's own gettext reader.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from attendance.models import AttendanceRequest
from attendance.services import request_decide
from tests.helpers import post_login, session_full, session_limited, session_password_only

LOCALE = Path(settings.BASE_DIR) / "locale"
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def read_po(lang: str) -> list[dict]:
    """Entries of locale/<lang>/LC_MESSAGES/django.po: keyword → text, plus flags."""
    text = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
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


EN, JA = read_po("en"), read_po("ja")


def test_english_catalogue_is_complete_and_has_nothing_fuzzy():
    assert len(EN) > 400
    untranslated = [e["msgid"] for e in EN if not all(msgstrs(e))]
    fuzzy = [e["msgid"] for e in EN if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    # English plurals have both forms, and an English text is not the Japanese one.
    assert all(len(msgstrs(e)) == 2 for e in EN if "msgid_plural" in e)
    assert [e["msgid"] for e in EN if e["msgid"] in msgstrs(e) and e["msgid"] != "English"] == []


def test_english_keeps_every_placeholder():
    placeholders = re.compile(r"%\(\w+\)[sd]")
    wrong = [e["msgid"] for e in EN if "python-format" in e["flags"]
             for s in msgstrs(e) if sorted(placeholders.findall(s)) != sorted(placeholders.findall(e["msgid"]))]
    assert wrong == []


def test_japanese_catalogue_has_every_msgid_as_its_own_translation():
    assert {e["msgid"] for e in JA} == {e["msgid"] for e in EN}
    assert [e["msgid"] for e in JA if "fuzzy" in e["flags"]] == []
    # Japanese has one plural form (nplurals=1): msgstr[0] only.
    assert [e["msgid"] for e in JA if msgstrs(e) != [e["msgid"]]] == []


@pytest.mark.parametrize("lang, entries", [("en", EN), ("ja", JA)])
def test_committed_mo_file_matches_its_po_file(lang, entries):
    """compilemessages was run after the last .po change (the .mo is what Django reads)."""
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as mo:
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


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_english(html, present, absent):
    assert '<html lang="en">' in html
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html, text


def test_login_page_and_choice_in_english(client, employee_b):
    switch_to_english(client)
    assert_english(page(client, "/accounts/login/"),
                   ["Log in", "Login ID", "Password", "FAQ", "Language"],
                   ["ログイン", "パスワード", "よくあるご質問", "言語"])
    html = post_login(client, employee_b.login_id).content.decode()
    assert_english(html, ["Two-factor authentication: choose how to log in", "Use all features",
                          "Clock in/out and view payslips only", "Cancel"],
                   ["ログイン選択", "すべての機能を利用する", "キャンセル"])
    html = post_login(client, "B9999999", "wrong").content.decode()
    assert "The login ID or password is incorrect." in html and "正しくありません" not in html


def test_full_portal_in_english(client, admin_a):
    switch_to_english(client)
    session_full(client, admin_a)
    assert_english(page(client, "/"),
                   ["Portal", "All features", "Net de Attendance", "Clock in/out", "Requests", "Net de Payslips",
                    "Two-factor authentication settings", "Change password", "Administration", "Log out"],
                   ["ポータル", "すべての機能", "打刻", "届出申請", "パスワード変更", "管理画面", "ログアウト"])


def test_limited_portal_in_english(client, employee_b):
    switch_to_english(client)
    session_limited(client, employee_b)
    assert_english(page(client, "/"),
                   ["Clock in/out and payslips only", "Code required", "View payslips",
                    "Use all features (enter the authentication code)"],
                   ["就業打刻・明細閲覧のみ", "要認証", "明細閲覧", "認証コード"])


def test_setup_page_in_english(client, fresh_a):
    switch_to_english(client)
    session_password_only(client, fresh_a)
    assert_english(page(client, "/accounts/setup/"),
                   ["1. Scan the QR code", "Copy key", "Enter a setup key", "2. Enter the 6-digit code shown",
                    "Register"],
                   ["QRコード", "キーをコピー", "登録する", "認証コード"])


def test_punch_page_in_english_with_an_english_date(client, employee_b):
    switch_to_english(client)
    session_limited(client, employee_b)
    html = page(client, "/attendance/")
    assert_english(html, ["Clock in", "Clock out", "Start break", "Today's punches", "Monthly timesheet"],
                   ["出勤", "退勤", "休憩", "本日の打刻", "年"])
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]+ \d{1,2}, \d{4}", html)


def test_japanese_by_default(client, employee_b, fresh_a):
    assert "ログインID" in page(client, "/accounts/login/")
    html = post_login(client, employee_b.login_id).content.decode()
    assert "二要素認証 ログイン選択" in html and "すべての機能を利用する" in html
    session_limited(client, employee_b)
    html = page(client, "/")
    assert '<html lang="ja">' in html and "就業打刻・明細閲覧のみ" in html and "要認証" in html
    assert "Portal" not in html and "Code required" not in html
    html = page(client, "/attendance/")
    assert "出勤" in html and "本日の打刻" in html and re.search(r"\d{4}年\d{1,2}月\d{1,2}日（.）", html)
    session_password_only(client, fresh_a)
    html = page(client, "/accounts/setup/")
    assert "1. QRコードを読み取る" in html and "Scan the QR code" not in html


def test_switching_back_to_japanese(client, employee_b):
    switch_to_english(client)
    session_limited(client, employee_b)
    assert "Code required" in page(client, "/")
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert "要認証" in page(client, "/")


def test_mails_stay_japanese_when_the_administrator_works_in_english(admin_a, employee_b, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    """The recipient's language is not known (the switch is a browser cookie): mails are Japanese."""
    from datetime import date

    item = AttendanceRequest.objects.create(user=employee_b, kind=AttendanceRequest.Kind.LEAVE,
                                            start_date=date.today(), reason="私用")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assert request_decide(item=item, approve=True, actor=admin_a, note="")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "休暇" in mail.subject and "承認" in mail.subject
    assert "Leave" not in mail.subject + mail.body and "Approved" not in mail.subject + mail.body


def source_dirs() -> list[Path]:
    """Every installed app of this project, the project package and the project templates:
    a product app is checked the day it is installed."""
    from importlib import import_module

    from django.apps import apps

    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(c.path).resolve() for c in apps.get_app_configs()]
    folders.append(Path(import_module(settings.ROOT_URLCONF).__file__).resolve().parent)
    folders += [Path(d).resolve() for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    return sorted({f for f in folders if f.is_relative_to(base)})


GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
                 "gettext_noop"}


def source_msgids() -> set[str]:
    """What ``makemessages`` would extract: gettext calls in Python, trans/blocktrans in templates."""
    import ast

    from django.utils.translation.template import templatize

    found = set()
    for folder in source_dirs():
        for path in sorted(folder.rglob("*")):
            if "migrations" in path.parts or path.suffix not in (".py", ".html", ".txt"):
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
    names = {folder.name for folder in source_dirs()}
    assert {"accounts", "catalog", "licensing", "portal", "netdekomon", "templates"} <= names
    from catalog.registry import products

    assert {p.app_label for p in products()} <= names


def test_catalogues_are_up_to_date_with_the_source():
    """A string wrapped in gettext but missing from the catalogues shows in Japanese to English users.

    Fix: the commands in README.md, "Translations" (makemessages, scripts/translations.py,
    translate the English, compilemessages)."""
    in_catalogue = {e["msgid"] for e in EN} | {e["msgid_plural"] for e in EN if "msgid_plural" in e}
    assert sorted(source_msgids() - in_catalogue) == []
    assert sorted(in_catalogue - source_msgids()) == []  # makemessages --no-obsolete leaves nothing behind
