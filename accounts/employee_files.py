"""Reading and writing the employee table: CSV (UTF-8 with or without BOM,
CP932) and Excel .xlsx, one header row, every cell as text."""

import codecs
import csv
import io
import zipfile

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
# What an .xlsx may unpack to: 20,000 rows of five columns are a few MB; a
# small file that unpacks to gigabytes is a zip bomb, refused before reading.
MAX_XLSX_UNPACKED = 100 * 1024 * 1024

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def read_table(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """Every row of the first sheet with its line number (the header is line 1)."""
    if len(data) > MAX_BYTES:
        raise FileProblem(_("ファイルが大きすぎます（%(mb)s MB まで）。ファイルを分けてください。")
                          % {"mb": MAX_BYTES // (1024 * 1024)})
    name = filename.lower()
    if name.endswith(".xls"):
        raise FileProblem(_("古い Excel 形式（.xls）は読み込めません。.xlsx または CSV で保存してください。"))
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    return rows


def decode_japanese_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Shift_JIS (CP932, what Japanese Excel and payroll
    software write); None when it is neither. For every file the console reads."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decode(data: bytes) -> str:
    text = decode_japanese_text(data)
    if text is not None:
        return text
    raise FileProblem(_("文字コードを判別できません。UTF-8 または Shift_JIS（CP932）の CSV で保存してください。"))


def _too_many():
    return FileProblem(_("一度に読み込めるのは %(rows)s 行までです。ファイルを分けてください。")
                       % {"rows": f"{MAX_ROWS:,}"})


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    rows = []
    try:
        for line, cells in enumerate(reader, start=1):
            if line > MAX_ROWS + 1:
                raise _too_many()
            rows.append((line, cells))
    except csv.Error:
        raise FileProblem(_("%(line)s 行目を CSV として読み込めません（引用符の対応などを確認してください）。")
                          % {"line": len(rows) + 1})
    return rows


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile as error:
        raise FileProblem(_("Excel ファイル（.xlsx）として読み込めません。")) from error
    if unpacked > MAX_XLSX_UNPACKED:
        raise FileProblem(_("ファイルが大きすぎます（%(mb)s MB まで）。ファイルを分けてください。")
                          % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem(_("Excel ファイル（.xlsx）として読み込めません。")) from error
    try:
        sheet = book.worksheets[0]
        rows, empty = [], 0
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            empty = 0 if any(cells) else empty + 1
            if empty > 1000:
                break  # formatting that reaches row 1,048,576 is not data
            if line > MAX_ROWS + 1 and any(cells):
                raise _too_many()
            rows.append((line, cells))
        return rows
    finally:
        book.close()


def _cell_text(value) -> str:
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
