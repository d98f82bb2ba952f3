"""Building reception submissions for tests."""

import datetime

from reception.models import AddressChange, Submission
from reception.services import submission_create


def make_address_change(user):
    return submission_create(user=user, kind=Submission.Kind.ADDRESS, detail=AddressChange(
        postal_code="100-0001", address="東京都千代田区千代田1-1", moved_on=datetime.date(2026, 4, 1)))[0]
