"""Demo data: one address change waiting for the company administrator."""

import datetime

from django.utils import timezone

from .models import AddressChange, Submission
from .services import submission_create


def seed(*, tenant, users) -> None:
    employee = next((u for u in users if not u.is_staff and not u.password_is_temporary), None)
    if employee is None or Submission.objects.filter(user=employee).exists():
        return
    submission_create(user=employee, kind=Submission.Kind.ADDRESS, detail=AddressChange(
        postal_code="150-0001", prefecture="東京都", city="渋谷区", address="神宮前1-2-3", building="ネットdeマンション101",
        address_kana="トウキョウトシブヤクジングウマエ 1-2-3 ネットデマンション101",
        previous_address="〒100-0001 東京都千代田区千代田1-1",
        moved_on=timezone.localdate() - datetime.timedelta(days=3)))
