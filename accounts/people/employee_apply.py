"""Carrying out an employee import plan (see ``employee_import``), all or nothing."""

from dataclasses import dataclass

from django.db import transaction

from accounts.audit import events
from accounts.people.employee_columns import mapping_from_choices
from accounts.people.employee_file import Problem, employees_read, rows_from_data
from accounts.people.employee_import import CHANGEABLE, Plan, employees_plan, row_changes
from accounts.models import SecurityEvent, Tenant, User
from accounts.people.offboarding import user_offboard, user_reactivate
from accounts.identity.groups import company_admin_group


class ImportRefused(Exception):
    """The import changed nothing; ``plan`` (or ``problems``) says why."""

    def __init__(self, plan: Plan | None = None, problems: list[Problem] | None = None):
        super().__init__("import refused")
        self.plan = plan
        self.problems = plan.problems if plan is not None else (problems or [])


@dataclass
class Issued:
    """A temporary password to hand over: shown once, never stored in clear."""

    user: User
    password: str


def employees_import(*, tenant: Tenant, actor: User | None, request=None, data: bytes | None = None,
                     filename: str = "", rows: list[dict] | None = None,
                     dry_run: bool = False) -> tuple[Plan, list[Issued]]:
    """Import a file (``data``) or the rows of a preview (``rows``) into ``tenant``.

    The file's columns are read with the company's 列の対応
    (``Tenant.employee_import_columns``). Raises ImportRefused, with every
    problem, when anything is wrong; then nothing has changed. With
    ``dry_run`` returns the plan and changes nothing.
    """
    columns = []
    if rows is None:
        reading = employees_read(data, filename, tenant.employee_import_columns)
        parsed, problems, columns = reading.rows, reading.problems, reading.columns
    else:
        parsed, problems = rows_from_data(rows), []
    # Every problem at once: the file's own and those against the database.
    # Refusal events (another company's ID) are recorded here, outside the
    # transaction, so that a refused import keeps them.
    plan = employees_plan(tenant=tenant, rows=parsed, actor=actor, request=request, problems=problems,
                          columns=columns)
    if not plan.ok:
        raise ImportRefused(plan)
    if dry_run:
        return plan, []
    with transaction.atomic():
        Tenant.objects.select_for_update().get(pk=tenant.pk)  # one import per company at a time
        plan = employees_plan(tenant=tenant, rows=parsed, actor=actor, request=request, columns=columns)
        if not plan.ok:
            raise ImportRefused(plan)
        issued = _apply(plan, actor=actor, request=request)
    return plan, issued


def _apply(plan: Plan, *, actor, request) -> list[Issued]:
    tenant, group = plan.tenant, company_admin_group()
    memberships = User.groups.through
    # 社員番号 that move between people in this file are freed first, so that no write meets the old holder.
    User.objects.filter(pk__in=[user.pk for user, row in [*plan.update, *plan.reactivate]
                                if "employee_number" in row_changes(user, row)]).update(employee_number="")
    passwords, new_users = {}, []
    for row in plan.create:
        user = User(login_id=row.login_id, login_key=row.key, tenant=tenant, name=row.name or "",
                    email=row.email or "", is_staff=bool(row.admin), employee_number=row.employee_number or "",
                    furigana=row.furigana or "", department=row.department or "", job_title=row.job_title or "",
                    hired_on=row.hired_on or None,
                    created_by=actor if getattr(actor, "pk", None) else None)
        passwords[row.key] = user.set_temporary_password()
        new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=500)
    created = list(_by_keys(tenant, list(passwords)))
    memberships.objects.bulk_create(
        [memberships(user_id=user.pk, group_id=group.pk) for user in created if user.is_staff],
        batch_size=500, ignore_conflicts=True)

    SecurityEvent.objects.bulk_create([
        events.build(request, events.Kind.TEMP_PASSWORD_ISSUED, tenant=tenant, user=user, actor=actor)
        for user in created], batch_size=500)
    issued = [Issued(user, passwords[user.login_key]) for user in created]

    changed = []
    for user, row in plan.update:
        for name, value in row_changes(user, row).items():
            setattr(user, name, value)
        changed.append(user)
    User.objects.bulk_update(changed, CHANGEABLE, batch_size=500)
    for user, _row in plan.offboard:
        user_offboard(user=user, actor=actor, request=request)
    for user, row in plan.reactivate:
        password = user_reactivate(user=user, actor=actor, request=request)
        for name, value in row_changes(user, row).items():
            setattr(user, name, value)
        user.save(update_fields=CHANGEABLE)
        changed.append(user)
        issued.append(Issued(user, password))
    granted = [user.pk for user in changed if user.is_staff]
    memberships.objects.filter(group_id=group.pk, user_id__in=[u.pk for u in changed if not u.is_staff]).delete()
    memberships.objects.bulk_create([memberships(user_id=pk, group_id=group.pk) for pk in granted],
                                    batch_size=500, ignore_conflicts=True)

    counts = plan.counts()
    events.record(request, events.Kind.EMPLOYEES_IMPORTED, tenant=tenant, actor=actor,
                  login_id=getattr(actor, "login_id", ""), created=counts["create"], updated=counts["update"],
                  offboarded=counts["offboard"], reactivated=counts["reactivate"])
    issued.sort(key=lambda item: item.user.login_id)
    return issued


def _by_keys(tenant: Tenant, keys: list[str]):
    for start in range(0, len(keys), 2000):
        yield from User.objects.filter(tenant=tenant, login_key__in=keys[start:start + 2000]).select_related("tenant")


def import_columns_save(request, *, tenant: Tenant, actor: User, titles: list[str], choices: list[str]) -> dict:
    """The company's 列の対応 after a choice on the preview (``mapping_from_choices``); a change
    is an audit event: how many columns were chosen anew, how many put back to their title."""
    with transaction.atomic():
        before = Tenant.objects.select_for_update().get(pk=tenant.pk).employee_import_columns
        after = mapping_from_choices(titles, choices, before)
        if after == before:
            return after
        Tenant.objects.filter(pk=tenant.pk).update(employee_import_columns=after)
        events.record(request, SecurityEvent.Kind.IMPORT_COLUMNS_CHANGED, actor=actor, tenant=tenant,
                      chosen=sum(1 for key, value in after.items() if before.get(key) != value),
                      cleared=sum(1 for key in before if key not in after), kept=len(after),
                      skipped=sum(1 for value in after.values() if value == ""))
    return after
