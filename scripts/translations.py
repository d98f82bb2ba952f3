"""Keep the catalogues complete after ``makemessages`` (README "Translations").

    python scripts/translations.py

For every catalogue: the project's ``locale/`` and an app's own
``<app>/locale/`` (where makemessages puts that app's strings).

* ``ja``: the msgids are the Japanese text, so every entry gets
  msgstr = msgid (a changed msgid that msgmerge marked fuzzy is reset too).
* ``en``: lists entries whose English is missing or fuzzy and exits 1,
  so you know what to translate before ``compilemessages``.

Plain Python (no polib): a PO file is read as entries separated by blank
lines; only the msgstr lines and the fuzzy flag of an entry are rewritten.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [ROOT / "locale", *sorted(p for p in ROOT.glob("*/locale") if not p.parent.name.startswith("."))]
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unquote(line: str) -> str:
    body = line[line.index('"') + 1:line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], body)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def parse(text: str) -> list[dict]:
    """Entries with ``lines`` (raw) and ``fields`` {keyword: text}, keyword
    being msgctxt, msgid, msgid_plural, msgstr or msgstr[N]."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines, fields, keyword = block.splitlines(), {}, None
        for line in lines:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ", line)
            if match:
                keyword = match.group(1)
                fields[keyword] = unquote(line)
            elif line.startswith('"') and keyword:
                fields[keyword] += unquote(line)
        obsolete = all(line.startswith("#") for line in lines)
        flags = [f.strip() for line in lines if line.startswith("#,") for f in line[2:].split(",")]
        entries.append({"lines": lines, "fields": fields, "flags": flags, "obsolete": obsolete})
    return entries


def with_msgstr(entry: dict, msgstr: dict) -> list[str]:
    """The entry's lines with new msgstr values and without the fuzzy flag."""
    out, in_msgstr = [], False
    for line in entry["lines"]:
        in_msgstr = line.startswith("msgstr") or (in_msgstr and line.startswith('"'))
        if in_msgstr or line.startswith("#| "):  # old msgstr; previous msgid of a fuzzy entry
            continue
        if line.startswith("#,"):
            flags = [f for f in entry["flags"] if f != "fuzzy"]
            if flags:
                out.append("#, " + ", ".join(flags))
        else:
            out.append(line)
    return out + [f"{keyword} {quote(text)}" for keyword, text in msgstr.items()]


def write(path: Path, blocks: list[list[str]]) -> None:
    path.write_text("\n\n".join("\n".join(b) for b in blocks) + "\n", encoding="utf-8")


def fill_japanese(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    nplurals = int(re.search(r"nplurals=(\d+)", text).group(1))  # 1 for Japanese
    blocks, changed = [], 0
    for entry in parse(text):
        fields = entry["fields"]
        if entry["obsolete"] or fields.get("msgid", "") == "":
            blocks.append(entry["lines"])
            continue
        if "msgid_plural" in fields:
            wanted = {f"msgstr[{i}]": fields["msgid"] if i == 0 else fields["msgid_plural"] for i in range(nplurals)}
        else:
            wanted = {"msgstr": fields["msgid"]}
        current = {k: v for k, v in fields.items() if k.startswith("msgstr")}
        if "fuzzy" in entry["flags"] or current != wanted:
            changed += 1
            blocks.append(with_msgstr(entry, wanted))
        else:
            blocks.append(entry["lines"])
    write(path, blocks)
    return changed


def missing_english(path: Path) -> list[str]:
    missing = []
    for entry in parse(path.read_text(encoding="utf-8")):
        fields = entry["fields"]
        if entry["obsolete"] or fields.get("msgid", "") == "":
            continue
        if "fuzzy" in entry["flags"] or any(not v for k, v in fields.items() if k.startswith("msgstr")):
            missing.append(fields["msgid"])
    return missing


def main() -> int:
    status = 0
    for locale in CATALOGUES:
        for domain in ("django", "djangojs"):
            ja = locale / "ja" / "LC_MESSAGES" / f"{domain}.po"
            if ja.exists():
                print(f"{ja.relative_to(ROOT)}: {fill_japanese(ja)} entries set to their msgid")
        for domain in ("django", "djangojs"):
            en = locale / "en" / "LC_MESSAGES" / f"{domain}.po"
            if en.exists():
                for msgid in missing_english(en):
                    print(f"{en.relative_to(ROOT)}: needs English: {msgid!r}")
                    status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
