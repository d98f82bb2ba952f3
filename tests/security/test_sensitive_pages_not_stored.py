"""Review finding: pages with pay, bank and personal data are not kept by the browser
or a proxy (a shared PC's back button after logout, FAQ: PCs and phones)."""

import datetime

import pytest

from payslips.models import Payslip
from reception.models import BankAccountChange, Submission
from tests.helpers import session_full


@pytest.fixture
def pages(employee_b):
    payslip = Payslip.objects.create(user=employee_b, pay_month=datetime.date(2026, 4, 1))
    submission = Submission.objects.create(user=employee_b, kind=Submission.Kind.BANK)
    BankAccountChange.objects.create(submission=submission, bank_code="0001", bank_name="みずほ",
                                     branch_code="001", branch_name="東京", account_number="1234567",
                                     holder_kana="スズキ ハナコ")
    return ["/payslips/", f"/payslips/{payslip.pk}/", f"/payslips/{payslip.pk}/print/",
            "/reception/", f"/reception/{submission.pk}/", "/attendance/"]


def test_pay_bank_and_punch_pages_are_not_stored(client, employee_b, pages):
    session_full(client, employee_b)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url
