"""Registering payslips in bulk from the CSV that payroll software exports.

The file is read completely and every row is checked before anything is
written; a single bad row rejects the whole file, with row-numbered
messages, and nothing is imported.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from kit.spreadsheets import FileProblem, read_table
from kit.core import Tenant, User, login_id_key

from .attendance import attendance_column, attendance_value
from .cells import date_cell as _date, month_cell as _month
from .models import Payslip, PayslipAttendance, PayslipItem, month_label

COLUMN_LOGIN_ID = "ログインID"
COLUMN_MONTH = "支給年月"
COLUMN_PAID_ON = "支給日"
COLUMN_NOTE = "備考"
PREFIXES = {"支給": PayslipItem.Kind.EARNING, "控除": PayslipItem.Kind.DEDUCTION}
# Columns payroll exports carry for people, not for the payslip: read past.
INFORMATIONAL_COLUMNS = {"氏名", "フリガナ", "社員番号", "従業員番号", "所属", "部署", "部門", "役職", "雇用区分"}
MAX_ITEM_NAME = 40
MAX_NOTE = 200
MAX_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 50
MAX_AMOUNT = 100_000_000  # 1億円: anything above is a typo, not a salary
MAX_AMOUNT_DIGITS = len(str(MAX_AMOUNT))

SAMPLE_CSV = (
    "ログインID,支給年月,支給日,出勤日数,欠勤日数,出勤時間,残業時間,有給取得日数,有給残日数,"
    "支給:基本給,支給:通勤手当,控除:健康保険,控除:厚生年金,控除:雇用保険,控除:所得税,控除:住民税\r\n"
    "B0000001,2026-04,2026-04-25,20,0,160:00,12:30,1,9.5,250000,12000,12450,22875,1500,5130,11000\r\n"
)

_AMOUNT_RE = re.compile(r"^-?[0-9]+$")  # full-width digits are made ASCII by _clean (NFKC)


class PayslipImportError(Exception):
    """The file was rejected; ``errors`` are Japanese, row-numbered messages."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class _AttendanceColumn:
    name: str
    unit: str


@dataclass
class _Row:
    number: int
    user: User
    month: datetime.date
    paid_on: datetime.date | None
    note: str
    items: list = field(default_factory=list)
    attendance: list = field(default_factory=list)  # (name, value, unit): 勤怠, never summed into pay

    @property
    def earnings(self) -> int:
        return sum(amount for kind, _name, amount in self.items if kind == PayslipItem.Kind.EARNING)

    @property
    def deductions(self) -> int:
        return sum(amount for kind, _name, amount in self.items if kind == PayslipItem.Kind.DEDUCTION)

    @property
    def net(self) -> int:
        return self.earnings - self.deductions


def payslips_import_csv(*, tenant: Tenant, file, actor: User,
                        published_on: datetime.date | None = None) -> list[Payslip]:
    """Import every payslip of ``file`` for employees of ``tenant``, or none.

    Raises ``PayslipImportError`` listing every problem found.
    """
    data = file.read(MAX_BYTES + 1)
    return payslips_import_rows(rows=payslips_read(tenant=tenant, data=data), actor=actor,
                                published_on=published_on)


def payslips_read(*, tenant: Tenant, data: bytes, filename: str = "payslips.csv") -> list["_Row"]:
    """Every row of the CSV, checked against ``tenant``'s employees and payslips; nothing written.

    Raises ``PayslipImportError`` listing every problem found.
    """
    try:
        records = read_table(data, filename, max_bytes=MAX_BYTES, xlsx=False)
    except FileProblem as error:
        raise PayslipImportError([str(error)]) from error
    return _parse(tenant, records)


def payslips_import_rows(*, rows: list["_Row"], actor: User,
                         published_on: datetime.date | None = None) -> list[Payslip]:
    """Write rows that ``payslips_read`` accepted, all or none; visible to the employees
    from ``published_on`` (公開日; today when not given)."""
    published_on = published_on or timezone.localdate()
    try:
        with transaction.atomic():
            payslips = Payslip.objects.bulk_create([
                Payslip(user=r.user, pay_month=r.month, paid_on=r.paid_on, note=r.note, created_by=actor,
                        published_on=published_on)
                for r in rows
            ])
            PayslipItem.objects.bulk_create([
                PayslipItem(payslip=payslip, kind=kind, name=name, amount=amount, order=order)
                for payslip, row in zip(payslips, rows)
                for order, (kind, name, amount) in enumerate(row.items)
            ])
            PayslipAttendance.objects.bulk_create([
                PayslipAttendance(payslip=payslip, name=name, value=value, unit=unit, order=order)
                for payslip, row in zip(payslips, rows)
                for order, (name, value, unit) in enumerate(row.attendance)
            ])
    except IntegrityError:
        # Registered by someone else between our check and the insert.
        raise PayslipImportError([_("同じ従業員・同じ月の明細が同時に登録されました。もう一度取り込んでください。")])
    return payslips


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _parse(tenant: Tenant, records: list[tuple[int, list[str]]]) -> list[_Row]:
    """``records``: the file's non-blank rows as ``read_table`` returns them."""
    if not records:
        raise PayslipImportError([_("ファイルが空です。")])
    header_number, header = records[0]
    columns = _columns(header_number, header)
    if not records[1:]:
        raise PayslipImportError([_("明細の行がありません。")])

    errors: list[tuple[int, str]] = []  # (row number, message)
    login_keys = sorted({login_id_key(_clean(r[columns[COLUMN_LOGIN_ID]]))
                         for _n, r in records[1:] if len(r) > columns[COLUMN_LOGIN_ID]})
    users = {u.login_key: u for chunk in _chunks(login_keys)
             for u in User.objects.for_tenant(tenant).filter(login_key__in=chunk)}
    rows: list[_Row] = []
    seen: dict[tuple, int] = {}
    for number, record in records[1:]:
        row = _row(number, record, header, columns, users, errors)
        if row is None:
            continue
        key = (row.user.pk, row.month)
        if key in seen:
            errors.append((number, _("%(row)d行目: %(login_id)s の%(month)sが%(first)d行目と重複しています。") % {
                "row": number, "login_id": row.user.login_id, "month": month_label(row.month),
                "first": seen[key]}))
            continue
        seen[key] = number
        rows.append(row)
    if rows:
        months = {r.month for r in rows}
        existing = {pair for chunk in _chunks(sorted({r.user.pk for r in rows}))
                    for pair in Payslip.objects.filter(user_id__in=chunk, pay_month__in=months)
                    .values_list("user_id", "pay_month")}
        for row in rows:
            if (row.user.pk, row.month) in existing:
                errors.append((row.number, _("%(row)d行目: %(login_id)s の%(month)sは既に登録されています。") % {
                    "row": row.number, "login_id": row.user.login_id, "month": month_label(row.month)}))
    if errors:
        messages = [message for _number, message in sorted(errors, key=lambda e: e[0])]
        if len(messages) > MAX_ERRORS:
            more = len(messages) - MAX_ERRORS
            messages = messages[:MAX_ERRORS] + [ngettext(
                "ほか %(count)d 件のエラーがあります。", "ほか %(count)d 件のエラーがあります。", more) % {"count": more}]
        raise PayslipImportError(messages)
    return rows


def _columns(number: int, header: list[str]) -> dict:
    """Map of column name → index; item columns as (kind, name) → index."""
    errors = []
    columns: dict = {}
    for index, raw in enumerate(header):
        name = _clean(raw)  # for recognising the header only: full-width "：" becomes ":"
        prefix, sep, _rest = name.partition(":")
        # The item name is stored as written (「髙﨑手当」 stays so), only trimmed.
        item = re.split(r"[:：]", raw.strip(), maxsplit=1)[-1].strip() if sep else ""
        if name in INFORMATIONAL_COLUMNS:
            continue
        attendance = attendance_column(raw)
        if name in (COLUMN_LOGIN_ID, COLUMN_MONTH, COLUMN_PAID_ON, COLUMN_NOTE):
            key = name
        elif attendance is not None:
            key = _AttendanceColumn(*attendance)
        elif sep and prefix in PREFIXES and len(item) > MAX_ITEM_NAME:
            errors.append(_("%(row)d行目: 列「%(name)s」の項目名は %(max)d 文字以内で入力してください。") % {
                "row": number, "name": raw[:20] + "…", "max": MAX_ITEM_NAME})
            continue
        elif sep and prefix in PREFIXES and item:
            key = (PREFIXES[prefix], item)
        else:
            errors.append(_("%(row)d行目: 列「%(name)s」は使えません。明細項目の列名は「支給:項目名」"
                            "「控除:項目名」、勤怠の列名は「出勤日数」「残業時間」や「勤怠:項目名」"
                            "としてください。") % {"row": number, "name": raw})
            continue
        if key in columns:
            errors.append(_("%(row)d行目: 列「%(name)s」が重複しています。") % {"row": number, "name": raw})
        columns[key] = index
    for required in (COLUMN_LOGIN_ID, COLUMN_MONTH):
        if required not in columns:
            errors.append(_("%(row)d行目: 必須の列「%(name)s」がありません。") % {"row": number, "name": required})
    if not any(isinstance(key, tuple) for key in columns):
        errors.append(_("%(row)d行目: 明細項目の列（「支給:基本給」など）がありません。") % {"row": number})
    if errors:
        raise PayslipImportError(errors)
    return columns


def _row(number, record, header, columns, users, errors) -> _Row | None:
    problems: list[str] = []
    if len(record) != len(header):
        problems.append(_("%(row)d行目: 列の数が見出し行と違います（見出し %(expected)d 列、この行 %(got)d 列）。") % {
            "row": number, "expected": len(header), "got": len(record)})
        errors.append((number, problems[0]))
        return None
    login_id = _clean(record[columns[COLUMN_LOGIN_ID]])
    user = users.get(login_id_key(login_id)) if login_id else None
    if not login_id:
        problems.append(_("%(row)d行目: ログインIDが空です。") % {"row": number})
    elif user is None:
        # Same message for an unknown ID and another company's employee:
        # the import must not reveal which IDs exist elsewhere.
        problems.append(_("%(row)d行目: ログインID「%(login_id)s」はこの会社の従業員として登録されていません。") % {
            "row": number, "login_id": login_id})
    month = _month(_clean(record[columns[COLUMN_MONTH]]))
    if month is None:
        problems.append(_("%(row)d行目: 支給年月「%(value)s」を読み取れません（例: 2026-04）。") % {
            "row": number, "value": record[columns[COLUMN_MONTH]]})
    paid_on = None
    if COLUMN_PAID_ON in columns and _clean(record[columns[COLUMN_PAID_ON]]):
        paid_on = _date(_clean(record[columns[COLUMN_PAID_ON]]))
        if paid_on is None:
            problems.append(_("%(row)d行目: 支給日「%(value)s」を読み取れません（例: 2026-04-25）。") % {
                "row": number, "value": record[columns[COLUMN_PAID_ON]]})
    note = record[columns[COLUMN_NOTE]].strip() if COLUMN_NOTE in columns else ""  # free text: as written
    if len(note) > MAX_NOTE:
        problems.append(_("%(row)d行目: 備考は %(max)d 文字以内で入力してください。") % {"row": number, "max": MAX_NOTE})
    items = []
    attendance = []
    for key, index in columns.items():
        if isinstance(key, _AttendanceColumn):
            cell = record[index].strip()
            if not cell:
                continue
            value = attendance_value(cell, key.unit)
            if value is None:
                problems.append(_("%(row)d行目: 「%(column)s」の値「%(value)s」を読み取れません"
                                  "（例: 20、12.5、160:30）。") % {"row": number, "column": header[index], "value": cell})
            else:
                attendance.append((key.name, value, key.unit))
            continue
        if not isinstance(key, tuple):
            continue
        kind, name = key
        raw = record[index]
        value = _clean(raw).replace(",", "").replace("¥", "").removesuffix("円").strip()
        if not value:
            continue
        if not _AMOUNT_RE.fullmatch(value):
            problems.append(_("%(row)d行目: 「%(column)s」の金額「%(value)s」が数値ではありません。") % {
                "row": number, "column": header[index], "value": raw})
        elif len(value.lstrip("-").lstrip("0")) > MAX_AMOUNT_DIGITS or abs(int(value)) >= MAX_AMOUNT:
            # The digits are counted first: Python refuses int() of more than 4,300 digits.
            problems.append(_("%(row)d行目: 「%(column)s」の金額「%(value)s」が大きすぎます。") % {
                "row": number, "column": header[index], "value": raw})
        else:
            items.append((kind, name, int(value)))
    if not items and not problems:
        problems.append(_("%(row)d行目: 金額が1つも入っていません。") % {"row": number})
    errors.extend((number, problem) for problem in problems)
    if problems:
        return None
    return _Row(number=number, user=user, month=month, paid_on=paid_on, note=note, items=items,
                attendance=attendance)


def _chunks(values: list, size: int = 2000):
    """A file may name more employees than one statement may carry as
    parameters (65,535 with PostgreSQL's server-side binding)."""
    for start in range(0, len(values), size):
        yield values[start:start + size]
