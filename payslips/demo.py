"""Demo data: the last three months of payslips for every demo user."""

import datetime

from django.utils import timezone

from .models import Payslip, PayslipAttendance, PayslipItem

EARNINGS = [("基本給", 250000), ("時間外手当", 18750), ("通勤手当", 12000)]
Unit = PayslipAttendance.Unit
ATTENDANCE = [("出勤日数", "20", Unit.DAYS), ("欠勤日数", "0", Unit.DAYS), ("出勤時間", "160:00", Unit.HOURS),
              ("残業時間", "12:30", Unit.HOURS), ("有給取得日数", "1", Unit.DAYS), ("有給残日数", "9.5", Unit.DAYS)]
DEDUCTIONS = [("健康保険", 14000), ("厚生年金", 25620), ("雇用保険", 1683), ("所得税", 6640), ("住民税", 12300)]


def seed(*, tenant, users) -> None:
    today = timezone.localdate()
    month = today.replace(day=1)
    months = []
    for _ in range(3):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    for index, user in enumerate(users):
        for offset, pay_month in enumerate(months):
            payslip, created = Payslip.objects.get_or_create(
                user=user, pay_month=pay_month, defaults={"paid_on": pay_month.replace(day=25)})
            if not created:
                continue
            step = 10000 * index - 1250 * offset
            items = [(PayslipItem.Kind.EARNING, name, amount + (step if name == "基本給" else 0))
                     for name, amount in EARNINGS]
            items += [(PayslipItem.Kind.DEDUCTION, name, amount) for name, amount in DEDUCTIONS]
            PayslipItem.objects.bulk_create([
                PayslipItem(payslip=payslip, kind=kind, name=name, amount=amount, order=order)
                for order, (kind, name, amount) in enumerate(items)
            ])
            PayslipAttendance.objects.bulk_create([
                PayslipAttendance(payslip=payslip, name=name, value=value, unit=unit, order=order)
                for order, (name, value, unit) in enumerate(ATTENDANCE)
            ])
