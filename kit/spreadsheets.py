"""Reading and writing the tables the console imports and exports: CSV
(UTF-8 with or without BOM, UTF-16 with BOM, CP932, EUC-JP) and Excel
.xlsx, one header row, every cell as text.

``read_table`` is the one reader of uploaded tables (employees, payslips):
whatever the file holds it returns rows or raises ``FileProblem`` with a
Japanese message naming the row and column where there is one. Time is
linear in the file's size and memory bounded by the limits below, which
the upload pages state (``limits_text``).
"""

import codecs
import csv
import datetime
import io
import logging
import re
import zipfile

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
MAX_COLUMNS = 100
MAX_CELL = 1000  # characters: a name is 100, an e-mail address 254, a payslip note 200
# What an .xlsx may unpack to: 20,000 rows of five columns are a few MB; a
# small file that unpacks to gigabytes is a zip bomb, refused before reading.
# (zipfile stops at an entry's declared size, so a lying header cannot get past.)
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
# The start of an OLE compound file: an old .xls, or an .xlsx saved with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters no cell may hold: NUL (which PostgreSQL refuses) and the other C0/C1
# controls; tab and line breaks are left to each column's own rule.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

logger = logging.getLogger(__name__)


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def limits_text(max_bytes: int = MAX_BYTES) -> str:
    """The limits as the upload pages state them."""
    return _("%(mb)s MB まで、%(rows)s 行まで、%(columns)s 列まで、1 つのセルは %(cell)s 文字まで。") % {
        "mb": max_bytes // (1024 * 1024), "rows": f"{MAX_ROWS:,}", "columns": MAX_COLUMNS,
        "cell": f"{MAX_CELL:,}"}


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES,
               xlsx: bool = True) -> list[tuple[int, list[str]]]:
    """Every non-blank row of the file (the first sheet of an .xlsx) with its line
    number (the header is line 1), trailing empty cells dropped."""
    if len(data) > max_bytes:
        raise FileProblem(_("ファイルが大きすぎます（%(mb)s MB まで）。ファイルを分けてください。")
                          % {"mb": max_bytes // (1024 * 1024)})
    name = filename.lower()
    if name.endswith(".xls") or data.startswith(OLE_MAGIC):
        raise FileProblem(_("古い Excel 形式（.xls）やパスワード付きの Excel ファイルは読み込めません。"
                            "パスワードを外して .xlsx または CSV で保存してください。"))
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        if not xlsx:
            raise FileProblem(_("Excel ファイルは読み込めません。CSV で保存してください。"))
        return _read_xlsx(data)
    return _read_csv(data)


def decode_japanese_text(data: bytes) -> str | None:
    """The text of a file from a Japanese office: UTF-16 with its BOM, UTF-8 (with or
    without BOM), else Shift_JIS (CP932, what Japanese Excel and payroll software
    write) or EUC-JP; None when it is none of them. For every file the console reads."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    readings = []
    for encoding in ("cp932", "euc_jp"):
        try:
            readings.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    # EUC-JP's kana read as CP932 are half-width katakana: of two readings, the one with fewer.
    return min(readings, key=_halfwidth_kana, default=None)


def _halfwidth_kana(text: str) -> int:
    return sum(1 for char in text if "\uff61" <= char <= "\uff9f")


def _decode(data: bytes) -> str:
    text = decode_japanese_text(data)
    if text is not None:
        return text
    raise FileProblem(_("文字コードを判別できません。UTF-8 または Shift_JIS（CP932）の CSV で保存してください。"))


def _too_many():
    return FileProblem(_("一度に読み込めるのは %(rows)s 行までです。ファイルを分けてください。")
                       % {"rows": f"{MAX_ROWS:,}"})


def _checked(line: int, cells: list[str], width: int) -> list[str]:
    """``cells`` without trailing empty ones past ``width`` (the header's; in one
    pass: spreadsheets leave thousands), within the limits."""
    end = len(cells)
    while end > width and not cells[end - 1].strip():
        end -= 1
    if end > MAX_COLUMNS:
        raise FileProblem(_("%(line)s 行目: 列が多すぎます（%(max)s 列まで）。") % {"line": line, "max": MAX_COLUMNS})
    cells = cells[:end] if end < len(cells) else cells
    for column, value in enumerate(cells, start=1):
        if len(value) > MAX_CELL:
            raise FileProblem(_("%(line)s 行目 %(column)s 列目: セルの文字数が多すぎます（%(max)s 文字まで）。")
                              % {"line": line, "column": column, "max": f"{MAX_CELL:,}"})
        if _FORBIDDEN.search(value):
            raise FileProblem(_("%(line)s 行目 %(column)s 列目: 制御文字（NUL など）は使えません。")
                              % {"line": line, "column": column})
    return cells


class _Rows:
    """Non-blank rows, each trimmed against the first one (the header), up to the limit."""

    def __init__(self):
        self.rows, self.width = [], 0

    def add(self, line: int, cells: list[str]) -> None:
        cells = _checked(line, cells, self.width)
        if not any(cell.strip() for cell in cells):
            return
        if len(self.rows) >= MAX_ROWS + 1:
            raise _too_many()
        if not self.rows:
            cells = _checked(line, cells, 0)
            self.width = len(cells)
        self.rows.append((line, cells))


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    table, line = _Rows(), 0
    try:
        for line, cells in enumerate(reader, start=1):
            table.add(line, cells)
    except csv.Error:
        raise FileProblem(_("%(line)s 行目を CSV として読み込めません（引用符の対応や、1 つのセルが長すぎないかを確認してください）。")
                          % {"line": line + 1})
    return table.rows


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    unreadable = _("Excel ファイル（.xlsx）として読み込めません。壊れていないか確認し、"
                   "Excel で開いて保存し直すか、CSV で保存してください。")
    try:
        unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise FileProblem(unreadable) from error
    if unpacked > MAX_XLSX_UNPACKED:
        raise FileProblem(_("ファイルが大きすぎます（%(mb)s MB まで）。ファイルを分けてください。")
                          % {"mb": MAX_BYTES // (1024 * 1024)})
    book = None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not book.worksheets:
            raise FileProblem(_("Excel ファイルにシートがありません。"))
        table, empty = _Rows(), 0
        # One column past the limit, so that a row reaching it is refused, not cut.
        for line, values in enumerate(book.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1,
                                                                   values_only=True), start=1):
            before = len(table.rows)
            table.add(line, [_cell_text(value) for value in values])
            empty = 0 if len(table.rows) > before else empty + 1
            if empty > 1000:
                break  # formatting that reaches row 1,048,576 is not data
        return table.rows
    except FileProblem:
        raise
    except Exception as error:  # noqa: BLE001
        # openpyxl raises whatever its XML and zip layers raise on a damaged file
        # (ParseError, KeyError, zlib.error, TypeError…): all mean "not a readable .xlsx".
        logger.info("Unreadable .xlsx upload: %s", type(error).__name__)
        raise FileProblem(unreadable) from error
    finally:
        if book is not None:
            book.close()


def _cell_text(value) -> str:
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()  # an Excel date cell: 2024-04-01
    if value is None or isinstance(value, bool):
        return "" if value is None else ("TRUE" if value else "FALSE")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def unquote_formula(value: str) -> str:
    """Undo ``safe_cell``: a leading apostrophe before a formula character."""
    if len(value) > 1 and value[0] == "'" and value[1].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text instead of running it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_csv(header: list[str], rows) -> bytes:
    """CSV in UTF-8 with a BOM (so that Excel opens it in the right encoding)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(str(cell)) for cell in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def write_xlsx(header: list[str], rows, *, title: str) -> bytes:
    """An .xlsx whose every cell is a string: nothing in it is a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in [header, *rows]:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
