"""The file of 従業員の一括登録, checked alone: its columns by their Japanese
header — ログインID (required), 氏名, メールアドレス, 会社管理者 (「○」 or
empty), 状態 (在籍 / 退職; empty = 在籍) — and its rows, each problem named
by line and column. A column left out of the file leaves that field of
existing employees as it is (``employee_import`` checks the rows against the
database; ``employee_export`` writes the same columns).
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.policy import login_id_key, normalize_login_id, validate_login_id
from kit.spreadsheets import read_table, unquote_formula

LOGIN_ID, NAME, EMAIL, ADMIN, STATUS = "ログインID", "氏名", "メールアドレス", "会社管理者", "状態"
COLUMNS = [LOGIN_ID, NAME, EMAIL, ADMIN, STATUS]
ACTIVE, LEFT = "在籍", "退職"
ADMIN_MARK = "○"
ADMIN_MARKS = {"○", "〇", "◯"}
MAX_LENGTH = {LOGIN_ID: 20, NAME: 100, EMAIL: 254}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        where = _("%(line)s 行目") % {"line": self.line}
        return f"{where}［{self.column}］{self.message}" if self.column else f"{where} {self.message}"


@dataclass
class Row:
    line: int
    login_id: str
    name: str | None = None  # None: the column is not in the file
    email: str | None = None
    admin: bool | None = None
    leaving: bool = False

    @property
    def key(self) -> str:
        return login_id_key(self.login_id)


def rows_from_data(data: list[dict]) -> list[Row]:
    return [Row(**item) for item in data]


def _too_long(column):
    return _("%(max)s 文字以内で入力してください。") % {"max": MAX_LENGTH[column]}


def _has_control(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


def employees_parse(data: bytes, filename: str) -> tuple[list[Row], list[Problem]]:
    """Rows of the file and every problem found without the database (FileProblem if unreadable)."""
    table = read_table(data, filename)
    while table and not any(cell.strip() for cell in table[0][1]):
        table = table[1:]  # blank lines before the header
    if not table:
        return [], [Problem(1, "", _("ファイルに見出しの行がありません。"))]
    header_line, header = table[0]
    problems, columns = [], {}
    for index, title in enumerate(header):
        name = unicodedata.normalize("NFKC", title).strip().lstrip("\ufeff")
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(Problem(header_line, name, _("この列は使えません。使える列は「ログインID」「氏名」「メールアドレス」「会社管理者」「状態」です。")))
        elif name in columns:
            problems.append(Problem(header_line, name, _("同じ見出しの列が二つあります。")))
        else:
            columns[name] = index
    if LOGIN_ID not in columns:
        problems.append(Problem(header_line, LOGIN_ID, _("必須の列「ログインID」がありません。")))
    if problems:
        return [], problems

    rows, seen = [], {}
    for line, cells in table[1:]:
        def cell(column):
            index = columns.get(column)
            if index is None:
                return None
            return unquote_formula(cells[index].strip()) if index < len(cells) else ""

        if not any(value.strip() for value in cells):
            continue
        row_problems = []
        for column in columns:
            if _has_control(cell(column)):
                row_problems.append(Problem(line, column, _("改行などの制御文字は使えません。")))
        if row_problems:
            problems += row_problems
            continue
        row = Row(line=line, login_id=normalize_login_id(cell(LOGIN_ID)))
        if not row.login_id:
            row_problems.append(Problem(line, LOGIN_ID, _("ログインIDを入力してください。")))
        elif len(row.login_id) > MAX_LENGTH[LOGIN_ID]:
            row_problems.append(Problem(line, LOGIN_ID, _too_long(LOGIN_ID)))
        else:
            try:
                validate_login_id(row.login_id)
            except ValidationError as error:
                row_problems.append(Problem(line, LOGIN_ID, error.messages[0]))
        if row.login_id and not row_problems:
            first = seen.setdefault(row.key, line)
            if first != line:
                row_problems.append(Problem(line, LOGIN_ID, _(
                    "%(line)s 行目と同じログインID（または全角・半角や O と 0 などの違いだけのID）です。")
                    % {"line": first}))
        if NAME in columns:
            row.name = cell(NAME)
            if len(row.name) > MAX_LENGTH[NAME]:
                row_problems.append(Problem(line, NAME, _too_long(NAME)))
        if EMAIL in columns:
            row.email = unicodedata.normalize("NFKC", cell(EMAIL)).strip()
            if len(row.email) > MAX_LENGTH[EMAIL]:
                row_problems.append(Problem(line, EMAIL, _too_long(EMAIL)))
            elif row.email:
                try:
                    validate_email(row.email)
                except ValidationError:
                    row_problems.append(Problem(line, EMAIL, _("メールアドレスの形式が正しくありません。")))
        if ADMIN in columns:
            mark = cell(ADMIN)
            if mark and mark not in ADMIN_MARKS:
                row_problems.append(Problem(line, ADMIN, _("「○」または空欄で入力してください。")))
            row.admin = bool(mark)
        if STATUS in columns:
            status = unicodedata.normalize("NFKC", cell(STATUS)).strip()
            if status not in ("", ACTIVE, LEFT):
                row_problems.append(Problem(line, STATUS, _("「在籍」「退職」または空欄で入力してください。")))
            row.leaving = status == LEFT
        problems += row_problems
        if not row_problems:
            rows.append(row)
    if not rows and not problems:
        problems.append(Problem(header_line + 1, "", _("従業員の行がありません。")))
    return rows, problems
