"""従業員の一括登録: one file creates, updates and offboards a company's employees.

``employee_file.employees_parse`` checks the file alone (its columns and
rows); ``employees_plan`` checks it against the database and says what
would happen; ``employee_apply`` does it, all or nothing. New and re-activated employees get system-generated
temporary passwords, returned once and never stored in clear.

Another company's login ID is refused the way ``login_ids.login_id_check_new``
refuses it in the one-user form: one generic message, a ``login_id_refused``
event, and the daily limit, so a file cannot be used to probe other
companies' IDs. Operators (and the command line) are told plainly.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.identity import login_ids
from accounts.models import Tenant, User
from accounts.people.employee_columns import ADMIN, LOGIN_ID, NUMBER, STATUS, FileColumn
from accounts.people.employee_file import Problem, Row
from accounts.policy import login_id_key


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
    columns: list[FileColumn] = field(default_factory=list)  # how the file's columns were read

    @property
    def skipped(self) -> list[FileColumn]:
        return [column for column in self.columns if not column.column]

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict:
        return {"create": len(self.create), "update": len(self.update), "offboard": len(self.offboard),
                "reactivate": len(self.reactivate), "unchanged": self.unchanged,
                "errors": len(self.problems)}


# -- against the database -----------------------------------------------------

def _is_operator(actor) -> bool:
    return actor is None or actor.is_operator


def _swap_kind(login_id: str) -> str:
    return {"A": "B", "B": "A"}[login_id[:1]] + login_id[1:]


def _problem(row: Row, column: str, message: str, value: str | None = None) -> Problem:
    return Problem(row.line, column, message, value=row.login_id if value is None else value, person=row.person)


def employees_plan(*, tenant: Tenant, rows: list[Row], actor: User | None, request=None,
                   problems: list[Problem] | None = None, columns: list[FileColumn] | None = None) -> Plan:
    """What importing ``rows`` into ``tenant`` would do, and every problem."""
    plan = Plan(tenant=tenant, rows=rows, problems=list(problems or []), columns=list(columns or []))
    keys = {row.key for row in rows}
    holders = login_ids.holders(keys | {login_id_key(_swap_kind(row.login_id)) for row in rows})

    def own(user):
        return user is not None and user.tenant_id == tenant.pk and not user.is_superuser

    operator = _is_operator(actor)
    limit_hit = not operator and login_ids.refusal_limit_reached(actor)
    limit_message = None
    for row in rows:
        holder = holders.get(row.key)
        if own(holder):
            _plan_existing(plan, holder, row, actor)
            continue
        if operator and holder is not None:
            message = (_("このログインIDは別の会社（%(tenant)s）で使われています。") % {"tenant": holder.tenant.name}
                       if holder.tenant else _("このログインIDは運営のアカウントで使われています。"))
            plan.problems.append(_problem(row, LOGIN_ID, message))
            continue
        if not operator and (holder is not None or limit_hit):
            if limit_message is None:
                try:  # records the refusal and counts it towards the limit, as the form does
                    login_ids.login_id_check_new(login_id=row.login_id, actor=actor, request=request)
                except ValidationError as error:
                    if error.code == "limit":
                        limit_hit, limit_message = True, error.messages[0]
                    plan.problems.append(_problem(row, LOGIN_ID, error.messages[0]))
                    continue
            else:
                plan.problems.append(_problem(row, LOGIN_ID, limit_message))
                continue
        swapped = holders.get(login_id_key(_swap_kind(row.login_id)))
        if own(swapped) and swapped.login_key not in keys and row.name in (None, swapped.name):
            # The same person under the other letter: an attempt to change the login policy.
            plan.problems.append(_problem(row, LOGIN_ID, _(
                "ログインIDの先頭の A / B は変更できません（既存の %(other)s と氏名が同じで、先頭の文字だけが違います）。"
                "別の従業員なら、%(other)s の行もこのファイルに含めてください。")
                % {"other": swapped.login_id}))
        elif row.leaving:
            plan.problems.append(_problem(row, STATUS, _("登録されていない従業員を「退職」にはできません。"), value="退職"))
        else:
            plan.create.append(row)
    _check_administrators(plan, tenant)
    _check_numbers(plan, tenant)
    return plan


def _plan_existing(plan: Plan, user: User, row: Row, actor) -> None:
    if row.login_id != user.login_id:
        plan.problems.append(_problem(row, LOGIN_ID, _(
            "既存の %(existing)s とよく似たIDです（O と 0、I・L と 1 などの違いだけ）。"
            "同じ従業員なら %(existing)s と書いてください。") % {"existing": user.login_id}))
        return
    if actor is not None and user.pk == actor.pk and (row.leaving or row.admin is False):
        column = STATUS if row.leaving else ADMIN
        plan.problems.append(_problem(row, column, _("ご自身を退職にしたり、ご自身の会社管理者を外したりはできません。"),
                                      value="退職" if column == STATUS else ""))
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


# The user's fields a file may change, in the preview's order.
CHANGEABLE = ["name", "employee_number", "furigana", "email", "department", "job_title", "hired_on", "is_staff"]


def row_changes(user: User, row: Row) -> dict:
    """{field: the new value} of what ``row`` changes on ``user``."""
    changes = {}
    for name in CHANGEABLE:
        value = row.admin if name == "is_staff" else getattr(row, name)
        if value is None and name != "hired_on" or value == "" and name == "hired_on":
            continue  # the column is not in the file
        if value != getattr(user, name):
            changes[name] = value
    return changes


def _check_numbers(plan: Plan, tenant: Tenant) -> None:
    """社員番号 is unique within the company (another company's may be the same)."""
    numbers = {row.employee_number: row for row in plan.rows if row.employee_number}
    if not numbers:
        return
    moving = {user.pk: row.employee_number for user, row in [*plan.update, *plan.reactivate, *plan.offboard]
              if row.employee_number is not None}
    wanted = list(numbers)
    holders = [holder for start in range(0, len(wanted), 2000)
               for holder in User.objects.filter(tenant=tenant, employee_number__in=wanted[start:start + 2000])
               .values_list("pk", "employee_number", "login_id", "name")]
    for pk, number, login_id, name in holders:
        row = numbers[number]
        if login_id_key(login_id) == row.key or moving.get(pk, number) != number:
            continue  # the same person, or the holder gets another number in this file
        plan.problems.append(_problem(row, NUMBER, _("この社員番号は %(holder)s が使っています。")
                                      % {"holder": f"{login_id} {name}".strip()}, value=number))


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
        plan.problems.append(_problem(row, column, _(
            "在籍の会社管理者がいなくなります。会社管理者を少なくとも一人、在籍のまま残してください。"),
            value="退職" if column == STATUS else ""))
