"""The file of 従業員の一括登録, checked alone: its columns found by their
titles (``employee_columns``: synonyms, any width and spacing, the company's
列の対応; the others skipped), and its rows, each problem named by line,
column and the value found, with the person where known. Header and row
problems come in one pass. A column left out of the file leaves that field
of existing employees as it is (``employee_import`` checks the rows against
the database; ``employee_export`` writes the same columns).
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.people.employee_columns import (
    ADMIN, COLUMNS, DEPARTMENT, EMAIL, FURIGANA, HIRED_ON, JOB_TITLE, LOGIN_ID, MAX_LENGTH, NAME, NUMBER,
    STATUS, FileColumn, column_of)
from accounts.policy import login_id_key, normalize_login_id, validate_login_id
from kit.japanese import katakana, parse_date
from kit.spreadsheets import read_table, unquote_formula

ACTIVE, LEFT = "在籍", "退職"
ADMIN_MARK = "○"
ADMIN_MARKS = {"○", "〇", "◯"}
__all__ = ["ACTIVE", "ADMIN", "ADMIN_MARK", "COLUMNS", "EMAIL", "LEFT", "LOGIN_ID", "NAME", "STATUS",
           "Problem", "Reading", "Row", "employees_parse", "employees_read"]


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str
    value: str = ""  # what the cell held
    person: str = ""  # 「ログインID 氏名」 where known

    def __str__(self):
        where = _("%(line)s 行目") % {"line": self.line}
        text = f"{where}［{self.column}］{self.message}" if self.column else f"{where} {self.message}"
        if self.value:
            text += _("（値: 「%(value)s」）") % {"value": self.value[:100]}
        return f"{text} {self.person}" if self.person else text


@dataclass
class Row:
    line: int
    login_id: str
    name: str | None = None  # None: the column is not in the file
    email: str | None = None
    admin: bool | None = None
    leaving: bool = False
    employee_number: str | None = None
    furigana: str | None = None
    department: str | None = None
    job_title: str | None = None
    hired_on: datetime.date | None | str = ""  # "": the column is not in the file; None: left empty

    @property
    def key(self) -> str:
        return login_id_key(self.login_id)

    @property
    def person(self) -> str:
        return f"{self.login_id} {self.name or ''}".strip()


@dataclass
class Reading:
    """What the file holds: its rows, every problem, and how each of its columns was read."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[FileColumn] = field(default_factory=list)

    @property
    def skipped(self) -> list[FileColumn]:
        return [column for column in self.columns if not column.column]


def rows_from_data(data: list[dict]) -> list[Row]:
    rows = [Row(**item) for item in data]
    for row in rows:
        if isinstance(row.hired_on, str) and row.hired_on:
            row.hired_on = datetime.date.fromisoformat(row.hired_on)
    return rows


def _too_long(column):
    return _("%(max)s 文字以内で入力してください。") % {"max": MAX_LENGTH[column]}


def _has_control(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


def employees_parse(data: bytes, filename: str, mapping: dict | None = None) -> tuple[list[Row], list[Problem]]:
    """Rows of the file and every problem found without the database (FileProblem if unreadable)."""
    reading = employees_read(data, filename, mapping)
    return reading.rows, reading.problems


def _header(header_line: int, header: list[str], mapping) -> tuple[dict, list[FileColumn], list[Problem]]:
    problems, found, columns = [], {}, []
    for index, title in enumerate(header):
        title = unicodedata.normalize("NFKC", title).strip().lstrip("\ufeff").strip()
        if not title:
            continue
        column, chosen = column_of(title, mapping)
        if column and column in found:
            problems.append(Problem(header_line, title, _("「%(column)s」として読む列が二つあります（「%(first)s」と「%(title)s」）。"
                                                          "どちらかを「取り込まない」にしてください。")
                                    % {"column": column, "first": header[found[column]].strip(), "title": title},
                                    value=title))
            column = ""
        elif column:
            found[column] = index
        columns.append(FileColumn(index, title, column, chosen))
    if LOGIN_ID not in found:
        problems.append(Problem(header_line, LOGIN_ID, _(
            "必須の列「ログインID」がありません。見出しを「ログインID」にするか、下の「列の対応」で選んでください。")))
    return found, columns, problems


def employees_read(data: bytes, filename: str, mapping: dict | None = None) -> Reading:
    """The file read with the company's 列の対応 ``mapping`` (FileProblem if unreadable)."""
    table = read_table(data, filename)
    while table and not any(cell.strip() for cell in table[0][1]):
        table = table[1:]  # blank lines before the header
    if not table:
        return Reading(problems=[Problem(1, "", _("ファイルに見出しの行がありません。"))])
    header_line, header = table[0]
    found, columns, problems = _header(header_line, header, mapping)
    titles = {column.column: column.title for column in columns if column.column}
    reading = Reading(problems=problems, columns=columns)
    seen = {}
    for line, cells in table[1:]:
        if not any(value.strip() for value in cells):
            continue
        row = _row(line, cells, found, titles, seen, reading.problems)
        if row is not None:
            reading.rows.append(row)
    if not reading.rows and not reading.problems:
        reading.problems.append(Problem(header_line + 1, "", _("従業員の行がありません。")))
    return reading


def _row(line, cells, found, titles, seen, problems) -> Row | None:
    def cell(column):
        index = found.get(column)
        if index is None:
            return None
        return unquote_formula(cells[index].strip()) if index < len(cells) else ""

    name = cell(NAME)
    login_id = normalize_login_id(cell(LOGIN_ID) or "")
    person = f"{login_id} {name or ''}".strip()
    row_problems = []

    def problem(column, message, value=None):
        row_problems.append(Problem(line, titles.get(column, column), message,
                                    value=cell(column) if value is None else value, person=person))

    for column in found:
        if _has_control(cell(column)):
            problem(column, _("改行などの制御文字は使えません。"), value="")
    if row_problems:
        problems += row_problems
        return None
    row = Row(line=line, login_id=login_id)
    if LOGIN_ID in found:
        if not row.login_id:
            problem(LOGIN_ID, _("ログインIDを入力してください。"))
        elif len(row.login_id) > MAX_LENGTH[LOGIN_ID]:
            problem(LOGIN_ID, _too_long(LOGIN_ID))
        else:
            try:
                validate_login_id(row.login_id)
            except ValidationError as error:
                problem(LOGIN_ID, error.messages[0])
        if row.login_id and not row_problems:
            first = seen.setdefault(row.key, line)
            if first != line:
                problem(LOGIN_ID, _("%(line)s 行目と同じログインID（または全角・半角や O と 0 などの違いだけのID）です。")
                        % {"line": first})
    for column, attribute in ((NAME, "name"), (DEPARTMENT, "department"), (JOB_TITLE, "job_title")):
        if column in found:
            setattr(row, attribute, cell(column))
            if len(cell(column)) > MAX_LENGTH[column]:
                problem(column, _too_long(column))
    if NUMBER in found:
        row.employee_number = unicodedata.normalize("NFKC", cell(NUMBER)).strip()
        if len(row.employee_number) > MAX_LENGTH[NUMBER]:
            problem(NUMBER, _too_long(NUMBER))
        elif row.employee_number:
            first = seen.setdefault(("number", row.employee_number), line)
            if first != line:
                problem(NUMBER, _("%(line)s 行目と同じ社員番号です。") % {"line": first})
    if FURIGANA in found:
        row.furigana = katakana(cell(FURIGANA))
        if len(row.furigana) > MAX_LENGTH[FURIGANA]:
            problem(FURIGANA, _too_long(FURIGANA))
    if EMAIL in found:
        row.email = unicodedata.normalize("NFKC", cell(EMAIL)).strip()
        if len(row.email) > MAX_LENGTH[EMAIL]:
            problem(EMAIL, _too_long(EMAIL))
        elif row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                problem(EMAIL, _("メールアドレスの形式が正しくありません。"))
    if HIRED_ON in found:
        row.hired_on = parse_date(cell(HIRED_ON)) if cell(HIRED_ON) else None
        if cell(HIRED_ON) and row.hired_on is None:
            problem(HIRED_ON, _("日付として読めません。2024/4/1、2024-04-01、令和6年4月1日 のように書いてください。"))
    if ADMIN in found:
        mark = cell(ADMIN)
        if mark and mark not in ADMIN_MARKS:
            problem(ADMIN, _("「○」または空欄で入力してください。"))
        row.admin = bool(mark)
    if STATUS in found:
        status = unicodedata.normalize("NFKC", cell(STATUS)).strip()
        if status not in ("", ACTIVE, LEFT):
            problem(STATUS, _("「在籍」「退職」または空欄で入力してください。"))
        row.leaving = status == LEFT
    problems += row_problems
    return row if not row_problems and LOGIN_ID in found else None
