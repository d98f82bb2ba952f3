"""Building payslips for tests."""

import datetime

from payslips.models import Payslip, PayslipItem


def make_payslip(user, month=datetime.date(2026, 4, 1), earnings=(("基本給", 250000), ("通勤手当", 12000)),
                 deductions=(("所得税", 5130), ("住民税", 11000))):
    payslip = Payslip.objects.create(user=user, pay_month=month, paid_on=month.replace(day=25))
    items = [PayslipItem(payslip=payslip, kind=PayslipItem.Kind.EARNING, name=n, amount=a, order=i)
             for i, (n, a) in enumerate(earnings)]
    items += [PayslipItem(payslip=payslip, kind=PayslipItem.Kind.DEDUCTION, name=n, amount=a, order=i)
              for i, (n, a) in enumerate(deductions)]
    PayslipItem.objects.bulk_create(items)
    return payslip


def months(count, start=datetime.date(2025, 1, 1)):
    result = []
    month = start
    for _ in range(count):
        result.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result
