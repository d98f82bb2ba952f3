"""The console shows a 届出 in Japanese: the form's own summary, not 「AddressChange object (2)」,
and titles in natural Japanese (「届出一覧」, 「届出の変更」)."""

from reception.tests.factories import make_address_change
from tests.helpers import session_full

CHANGELIST = "/admin/reception/submission/"


def test_a_submission_reads_as_japanese(client, admin_a, employee_b):
    submission = make_address_change(employee_b)
    session_full(client, admin_a)
    page = client.get(f"{CHANGELIST}{submission.pk}/change/").content.decode()
    assert "object (" not in page and "AddressChange" not in page
    assert "〒100-0001 東京都千代田区千代田1-1" in page
    assert "<h1>届出の変更</h1>" in page or "<h1>届出の詳細</h1>" in page
    listing = client.get(CHANGELIST).content.decode()
    assert "<h1>届出一覧</h1>" in listing and " を 選択" not in listing
