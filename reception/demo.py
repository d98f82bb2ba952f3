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
        postal_code="150-0001", address="東京都渋谷区神宮前1-2-3 ネットdeマンション101",
        moved_on=timezone.localdate() - datetime.timedelta(days=3)))
