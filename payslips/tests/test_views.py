"""明細閲覧: an employee sees only their own payslips, in yen the Japanese way."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from payslips.templatetags.yen import yen
from tests.helpers import make_user, session_full, session_limited
from payslips.tests.factories import make_payslip, months


def test_yen_formats():
    assert yen(123456) == "123,456円"
    assert yen(0) == "0円"
    assert yen(-1500) == "-1,500円"


def test_one_yen_format_on_the_statement(client, employee_b):
    payslip = make_payslip(employee_b)
    session_limited(client, employee_b)
    page = client.get(f"/payslips/{payslip.pk}/").content.decode()
    assert "¥" not in page and "245,870円" in page


def test_list_shows_own_payslips_with_net_pay(client, employee_b, employee_a):
    make_payslip(employee_b, datetime.date(2026, 4, 1))
    make_payslip(employee_a, datetime.date(2026, 3, 1), earnings=(("基本給", 999999),))
    session_limited(client, employee_b)
    page = client.get("/payslips/").content.decode()
    assert "2026年4月分" in page
    assert "245,870円" in page  # 262,000 − 16,130
    assert "2026年3月分" not in page
    assert "999,999円" not in page


def test_detail_shows_items_and_totals_in_limited_mode(client, employee_b):
    payslip = make_payslip(employee_b)
    session_limited(client, employee_b)
    response = client.get(f"/payslips/{payslip.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ["給与明細 2026年4月分", "基本給", "250,000円", "通勤手当", "12,000円", "所得税", "5,130円",
                 "総支給額", "262,000円", "控除合計", "16,130円", "差引支給額", "245,870円", "2026年4月25日"]:
        assert text in page, text


def test_print_page_names_company_and_employee(client, employee_b):
    payslip = make_payslip(employee_b)
    session_limited(client, employee_b)
    page = client.get(f"/payslips/{payslip.pk}/print/").content.decode()
    assert "給与明細書 2026年4月分" in page
    assert "アクメ株式会社" in page and "鈴木 花子" in page
    assert "window.print()" in page
    assert 'class="no-print"' in page


def test_colleague_payslip_is_404(client, employee_b, employee_a):
    payslip = make_payslip(employee_a)
    session_full(client, employee_b)
    assert client.get(f"/payslips/{payslip.pk}/").status_code == 404
    assert client.get(f"/payslips/{payslip.pk}/print/").status_code == 404


def test_company_admin_cannot_open_employee_payslip_in_portal(client, admin_a, employee_b):
    payslip = make_payslip(employee_b)
    session_full(client, admin_a)
    assert client.get(f"/payslips/{payslip.pk}/").status_code == 404


def test_missing_payslip_is_404(client, employee_b):
    session_limited(client, employee_b)
    assert client.get("/payslips/999999/").status_code == 404


def test_empty_list_explains(client, employee_b):
    session_limited(client, employee_b)
    assert "まだ明細はありません" in client.get("/payslips/").content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_constant(client, employee_b, django_assert_max_num_queries):
    session_limited(client, employee_b)
    all_months = months(13)
    make_payslip(employee_b, all_months[0])
    client.get("/payslips/")  # warm the session / licence path
    one = _count_queries(client, "/payslips/")
    for month in all_months[1:]:
        make_payslip(employee_b, month)
    with django_assert_max_num_queries(one):
        page = client.get("/payslips/").content.decode()
    assert page.count("245,870円") == 13


def test_detail_query_count_does_not_grow_with_items(client, employee_b):
    few = make_payslip(employee_b, datetime.date(2026, 1, 1))
    many = make_payslip(employee_b, datetime.date(2026, 2, 1),
                        earnings=[(f"手当{i}", 1000) for i in range(15)],
                        deductions=[(f"控除{i}", 10) for i in range(15)])
    session_limited(client, employee_b)
    client.get("/payslips/")
    assert _count_queries(client, f"/payslips/{many.pk}/") == _count_queries(client, f"/payslips/{few.pk}/")


def test_register_feature_shown_to_company_admins_only(client, admin_a, employee_a):
    session_full(client, employee_a)
    assert "明細登録" not in client.get("/").content.decode()
    session_full(client, admin_a)
    home = client.get("/").content.decode()
    assert "明細登録" in home and "/payslips/import/" in home


def test_demo_seed_makes_three_payslips_per_user(acme, employee_a, employee_b):
    from payslips.demo import seed
    from payslips.models import Payslip

    seed(tenant=acme, users=[employee_a, employee_b])
    seed(tenant=acme, users=[employee_a, employee_b])  # a second run adds nothing
    for user in (employee_a, employee_b):
        payslips = Payslip.objects.of_user(user).with_totals()
        assert payslips.count() == 3
        assert all(p.net_pay > 0 for p in payslips)


@pytest.fixture
def fourth_employee(acme):
    return make_user("B1000009", acme, name="山田 六郎", device=True)


def test_pay_month_is_stored_as_first_of_month(fourth_employee):
    payslip = make_payslip(fourth_employee, datetime.date(2026, 5, 1))
    payslip.pay_month = datetime.date(2026, 6, 17)
    payslip.save()
    payslip.refresh_from_db()
    assert payslip.pay_month == datetime.date(2026, 6, 1)


def test_temporary_password_b_id_reads_payslips_in_limited_mode(client, temp_b):
    payslip = make_payslip(temp_b)
    session_limited(client, temp_b)
    response = client.get(f"/payslips/{payslip.pk}/")
    assert response.status_code == 200
    assert "245,870円" in response.content.decode()


def test_unlicensed_payslips_are_unreachable_even_by_id(client, employee_b, admin_a, acme):
    from licensing.services import licence_set

    payslip = make_payslip(employee_b)
    licence_set(tenant=acme, product_code="payslips", in_use=False)
    session_full(client, employee_b)
    for url in [f"/payslips/{payslip.pk}/", f"/payslips/{payslip.pk}/print/"]:
        assert client.get(url).status_code == 404, url
    session_full(client, admin_a)
    assert client.get("/payslips/import/").status_code == 404


def test_seed_demo_command_gives_every_demo_user_three_payslips(db):
    from django.core.management import call_command

    from accounts.models import User
    from payslips.models import Payslip

    call_command("seed_demo", stdout=io.StringIO())
    for user in User.objects.filter(tenant__code="demo"):
        assert Payslip.objects.of_user(user).count() == 3, user.login_id


def test_the_list_and_the_portal_cost_one_statement_beyond_the_session_user_and_licences(
        database_only, client, employee_b, django_assert_num_queries):
    """Database only (no REDIS_URL): session, user with its tenant, licences, and
    for the list its one query (month, pay day, 差引支給額; no other column)."""
    from tests.helpers import session_limited

    session_limited(client, employee_b)
    client.get("/")  # the first request of a session writes the session
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(4) as queries:
        assert client.get("/payslips/").status_code == 200
    listing = queries.captured_queries[-1]["sql"]
    assert "payslips_payslip" in listing and '"note"' not in listing and "created_by" not in listing
