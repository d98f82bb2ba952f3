"""従業員の一括登録: one file creates, updates and offboards a company's employees.

Columns by their Japanese header: ログインID (required), 氏名, メールアドレス,
会社管理者 (「○」 or empty), 状態 (在籍 / 退職; empty = 在籍). A column left out
of the file leaves that field of existing employees as it is.

``employees_parse`` checks the file alone; ``employees_plan`` checks it
against the database and says what would happen; ``employees_import`` does
it, all or nothing. New and re-activated employees get system-generated
temporary passwords, returned once and never stored in clear.

Another company's login ID is refused the way ``login_ids.login_id_check_new``
refuses it in the one-user form: one generic message, a ``login_id_refused``
event, and the daily limit, so a file cannot be used to probe other
companies' IDs. Operators (and the command line) are told plainly.
"""

import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kit.spreadsheets import read_table, unquote_formula
from accounts.models import Tenant, User
from accounts.policy import login_id_key, normalize_login_id, validate_login_id
from accounts.identity.login_ids import _refusals_today, login_id_check_new

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


@dataclass
class Plan:
    tenant: Tenant
    rows: list[Row]
    problems: list[Problem] = field(default_factory=list)
    create: list[Row] = field(default_factory=list)
    update: list[tuple[User, Row]] = field(default_factory=list)
    offboard: list[tuple[User, Row]] = field(default_factory=list)
    reactivate: list[tuple[User, Row]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict:
        return {"create": len(self.create), "update": len(self.update), "offboard": len(self.offboard),
                "reactivate": len(self.reactivate), "unchanged": self.unchanged,
                "errors": len(self.problems)}


def rows_from_data(data: list[dict]) -> list[Row]:
    return [Row(**item) for item in data]


# -- the file alone -----------------------------------------------------------

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


# -- against the database -----------------------------------------------------

def _is_operator(actor) -> bool:
    return actor is None or actor.is_operator


def _swap_kind(login_id: str) -> str:
    return {"A": "B", "B": "A"}[login_id[:1]] + login_id[1:]


def _holders(keys) -> dict[str, User]:
    keys, found = list(keys), {}
    for start in range(0, len(keys), 2000):
        for user in User.objects.filter(login_key__in=keys[start:start + 2000]).select_related("tenant"):
            found[user.login_key] = user
    return found


def employees_plan(*, tenant: Tenant, rows: list[Row], actor: User | None, request=None,
                   problems: list[Problem] | None = None) -> Plan:
    """What importing ``rows`` into ``tenant`` would do, and every problem."""
    plan = Plan(tenant=tenant, rows=rows, problems=list(problems or []))
    keys = {row.key for row in rows}
    holders = _holders(keys | {login_id_key(_swap_kind(row.login_id)) for row in rows})

    def own(user):
        return user is not None and user.tenant_id == tenant.pk and not user.is_superuser

    operator = _is_operator(actor)
    limit_hit = not operator and _refusals_today(actor) >= settings.LOGIN_ID_REFUSAL_LIMIT
    limit_message = None
    for row in rows:
        holder = holders.get(row.key)
        if own(holder):
            _plan_existing(plan, holder, row, actor)
            continue
        if operator and holder is not None:
            message = (_("このログインIDは別の会社（%(tenant)s）で使われています。") % {"tenant": holder.tenant.name}
                       if holder.tenant else _("このログインIDは運営のアカウントで使われています。"))
            plan.problems.append(Problem(row.line, LOGIN_ID, message))
            continue
        if not operator and (holder is not None or limit_hit):
            if limit_message is None:
                try:  # records the refusal and counts it towards the limit, as the form does
                    login_id_check_new(login_id=row.login_id, actor=actor, request=request)
                except ValidationError as error:
                    if error.code == "limit":
                        limit_hit, limit_message = True, error.messages[0]
                    plan.problems.append(Problem(row.line, LOGIN_ID, error.messages[0]))
                    continue
            else:
                plan.problems.append(Problem(row.line, LOGIN_ID, limit_message))
                continue
        swapped = holders.get(login_id_key(_swap_kind(row.login_id)))
        if own(swapped) and swapped.login_key not in keys and row.name in (None, swapped.name):
            # The same person under the other letter: an attempt to change the login policy.
            plan.problems.append(Problem(row.line, LOGIN_ID, _(
                "ログインIDの先頭の A / B は変更できません（既存の %(other)s と氏名が同じで、先頭の文字だけが違います）。"
                "別の従業員なら、%(other)s の行もこのファイルに含めてください。")
                % {"other": swapped.login_id}))
        elif row.leaving:
            plan.problems.append(Problem(row.line, STATUS, _("登録されていない従業員を「退職」にはできません。")))
        else:
            plan.create.append(row)
    _check_administrators(plan, tenant)
    return plan


def _plan_existing(plan: Plan, user: User, row: Row, actor) -> None:
    if row.login_id != user.login_id:
        plan.problems.append(Problem(row.line, LOGIN_ID, _(
            "既存の %(existing)s とよく似たIDです（O と 0、I・L と 1 などの違いだけ）。"
            "同じ従業員なら %(existing)s と書いてください。") % {"existing": user.login_id}))
        return
    if actor is not None and user.pk == actor.pk and (row.leaving or row.admin is False):
        column = STATUS if row.leaving else ADMIN
        plan.problems.append(Problem(row.line, column, _("ご自身を退職にしたり、ご自身の会社管理者を外したりはできません。")))
        return
    if row.leaving:
        if user.is_active:
            plan.offboard.append((user, row))
        else:
            plan.unchanged += 1
        return
    if not user.is_active:
        plan.reactivate.append((user, row))
    elif row_changes(user, row):
        plan.update.append((user, row))
    else:
        plan.unchanged += 1


def row_changes(user: User, row: Row) -> dict:
    changes = {}
    if row.name is not None and row.name != user.name:
        changes["name"] = row.name
    if row.email is not None and row.email != user.email:
        changes["email"] = row.email
    if row.admin is not None and row.admin != user.is_staff:
        changes["is_staff"] = row.admin
    return changes


def _check_administrators(plan: Plan, tenant: Tenant) -> None:
    """A file may not leave the company without an active company administrator."""
    before = set(User.objects.filter(tenant=tenant, is_active=True, is_staff=True, is_superuser=False)
                 .values_list("pk", flat=True))
    if not before:
        return
    after, removing = set(before), []
    for user, row in plan.offboard:
        if user.pk in after:
            after.discard(user.pk)
            removing.append((row, STATUS))
    for user, row in [*plan.update, *plan.reactivate]:
        admin = row.admin if row.admin is not None else user.is_staff
        if admin:
            after.add(user.pk)
        elif user.pk in after:
            after.discard(user.pk)
            removing.append((row, ADMIN))
    if after or any(row.admin for row in plan.create):
        return
    for row, column in removing:
        plan.problems.append(Problem(row.line, column, _(
            "在籍の会社管理者がいなくなります。会社管理者を少なくとも一人、在籍のまま残してください。")))
