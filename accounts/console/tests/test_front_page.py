"""The console's front page shows where the company's 2FA enrolment stands."""

import re
from datetime import timedelta

from django.utils import timezone

from tests.helpers import make_user, session_full


def counts(page: str) -> dict:
    return {label.strip(): int(n) for n, label in
            re.findall(r'<span class="count">(\d+) 名</span>([^<]+)</a>', page)}


def test_counts_link_to_the_filtered_list(client, admin_a, employee_a, fresh_a, fresh_b, temp_b, other_user):
    expired = make_user("B1000099", admin_a.tenant, temporary=True)
    expired.password_expires_at = timezone.now() - timedelta(days=1)
    expired.save()
    gone = make_user("B1000098", admin_a.tenant)
    gone.is_active = False
    gone.save()
    session_full(client, admin_a)
    page = client.get("/admin/").content.decode()
    assert counts(page) == {"2要素認証が未設定": 3, "仮パスワードのまま": 1, "仮パスワードの期限切れ（再発行が必要）": 1}
    for query, expected in [("two_factor=no", {"A1000003", "B1000002", "B1000099"}),
                            ("password_state=temporary", {"B1000003"}), ("password_state=expired", {"B1000099"})]:
        assert f"/admin/accounts/user/?is_active__exact=1&amp;{query}" in page
        listed = client.get(f"/admin/accounts/user/?is_active__exact=1&{query}").content.decode()
        found = set(re.findall(r'>([AB]\d{7})</a>', listed))
        assert found == expected, query


def test_operator_sees_no_company_counts(client, operator):
    from tests.helpers import add_device

    add_device(operator)
    session_full(client, operator)
    assert 'class="count"' not in client.get("/admin/").content.decode()
