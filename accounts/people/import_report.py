"""The people of an employee import plan as its preview lists them: who is
new (ID, name), what changes for whom (項目: 変更前 → 変更後), who leaves and
who comes back. A change that makes someone 会社管理者 or takes it away is
marked, so that it is not read past among e-mail changes.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people.employee_import import Plan, row_changes

# The longest list of each kind on one page; the rest are counted (10,000 new employees stay readable).
PREVIEW_LIMIT = 2000

FIELD_LABELS = {"name": gettext_lazy("氏名"), "employee_number": gettext_lazy("社員番号"),
                "furigana": gettext_lazy("フリガナ"), "email": gettext_lazy("メールアドレス"),
                "department": gettext_lazy("部署"), "job_title": gettext_lazy("役職"),
                "hired_on": gettext_lazy("入社日"), "is_staff": gettext_lazy("会社管理者")}


@dataclass
class Change:
    label: str
    old: str
    new: str
    admin: bool = False  # grants or removes 会社管理者


@dataclass
class Person:
    login_id: str
    name: str
    line: int
    employee_number: str = ""
    department: str = ""
    admin: bool = False  # is or becomes 会社管理者 (new employees)
    changes: list[Change] = field(default_factory=list)

    @property
    def admin_change(self) -> bool:
        return any(change.admin for change in self.changes)


@dataclass
class Section:
    people: list[Person]
    more: int = 0


def _text(name: str, value) -> str:
    if name == "is_staff":
        return _("会社管理者") if value else _("一般")
    if name == "hired_on":
        return value.strftime("%Y/%m/%d") if value else _("（空欄）")
    return value if value else _("（空欄）")


def _changes(user, row) -> list[Change]:
    return [Change(str(FIELD_LABELS[name]), _text(name, getattr(user, name)), _text(name, value),
                   admin=name == "is_staff")
            for name, value in row_changes(user, row).items()]


def _section(items) -> Section:
    items = list(items)
    return Section(items[:PREVIEW_LIMIT], max(0, len(items) - PREVIEW_LIMIT))


def plan_report(plan: Plan) -> dict[str, Section]:
    """The preview's lists: ``create``, ``update``, ``offboard``, ``reactivate``, each a Section."""
    def existing(user, row, changes=True):
        return Person(user.login_id, user.name, row.line,
                      user.employee_number, user.department, user.is_staff,
                      _changes(user, row) if changes else [])

    update = [existing(user, row) for user, row in plan.update[:PREVIEW_LIMIT]]
    # Who becomes or stops being 会社管理者 first: the change to read before any other.
    update.sort(key=lambda person: not person.admin_change)
    return {
        "create": Section([Person(row.login_id, row.name or "", row.line, row.employee_number or "",
                                  row.department or "", bool(row.admin)) for row in plan.create[:PREVIEW_LIMIT]],
                          max(0, len(plan.create) - PREVIEW_LIMIT)),
        "update": Section(update, max(0, len(plan.update) - PREVIEW_LIMIT)),
        "offboard": _section(existing(user, row, changes=False) for user, row in plan.offboard),
        "reactivate": _section(existing(user, row) for user, row in plan.reactivate),
    }
