"""Import previews kept in the database (accounts/people/import_previews.py), for both
flows with a 確認画面: 従業員の一括登録 and 明細登録. Only the administrator who
uploaded may confirm, only once (also when two confirmations race on
PostgreSQL), not after the expiry, and the session does not carry the file."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import ImportPreview, User
from payslips.models import Payslip
from tests.helpers import make_user, session_full
from tests.parallel import post_together

IMPORT, CONFIRM = "/admin/accounts/user/import/", "/admin/accounts/user/import/confirm/"
PAYSLIPS = "/payslips/import/"
EMPLOYEES_CSV = "ログインID,氏名,メールアドレス,会社管理者,状態\r\n"
PAYSLIPS_CSV = "ログインID,支給年月,支給:基本給\r\nB1000001,2026-04,250000\r\n"


@pytest.fixture
def second_admin(acme):
    return make_user("A1000009", acme, name="管理 次郎", admin=True, device=True)


def session_size(client) -> int:
    return len(client.session.encode(dict(client.session.items())))


def upload_employees(client, rows: int = 1):
    body = "".join(f"B{1000400 + n},一括 {n},,,\r\n" for n in range(rows))
    response = client.post(IMPORT, {"file": SimpleUploadedFile("社員.csv", (EMPLOYEES_CSV + body).encode())})
    return re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode()).group(1)


def upload_payslips(client):
    response = client.post(PAYSLIPS, {"file": SimpleUploadedFile("p.csv", PAYSLIPS_CSV.encode())})
    return re.search(r'name="digest" value="([0-9a-f]+)"', response.content.decode()).group(1)


def confirm_payslips(client, token):
    return client.post(PAYSLIPS, {"confirm": "yes", "digest": token}, follow=True)


def test_a_2000_row_preview_costs_the_session_nothing(client, admin_a):
    session_full(client, admin_a)
    client.get(IMPORT)
    before = session_size(client)
    upload_employees(client, rows=2000)
    assert session_size(client) - before < 100, "the file is not in the session"
    preview = ImportPreview.objects.get()
    assert (preview.owner, preview.tenant, preview.kind) == (admin_a, admin_a.tenant, "employees")
    assert preview.expires_at > timezone.now() + datetime.timedelta(minutes=29)


def test_another_administrator_cannot_confirm_an_employee_preview(client, admin_a, second_admin):
    token = upload_employees(session_full(client, admin_a))
    other = session_full(Client(), second_admin)
    response = other.post(CONFIRM, {"token": token}, follow=True)
    assert "この確認画面は見つかりません" in response.content.decode()
    assert not User.objects.filter(login_id="B1000400").exists()
    # The owner still can, once.
    client.post(CONFIRM, {"token": token})
    again = client.post(CONFIRM, {"token": token}, follow=True)
    assert "このファイルはすでに登録済みです" in again.content.decode()
    assert User.objects.filter(login_id="B1000400").count() == 1


def test_another_administrator_cannot_confirm_a_payslip_preview(client, admin_a, second_admin, employee_b):
    token = upload_payslips(session_full(client, admin_a))
    other = session_full(Client(), second_admin)
    assert "この確認画面は見つかりません" in confirm_payslips(other, token).content.decode()
    assert not Payslip.objects.exists()
    confirm_payslips(client, token)
    assert "このファイルはすでに登録済みです" in confirm_payslips(client, token).content.decode()
    assert Payslip.objects.count() == 1


def test_an_expired_preview_is_refused_and_removed(client, admin_a, employee_b, settings):
    token = upload_payslips(session_full(client, admin_a))
    ImportPreview.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    page = confirm_payslips(client, token).content.decode()
    assert "確認画面の有効期限（30 分）が切れました" in page
    assert not ImportPreview.objects.exists() and not Payslip.objects.exists()


def test_a_new_upload_sweeps_away_everyones_expired_previews(client, admin_a, second_admin, employee_b):
    upload_payslips(session_full(Client(), second_admin))
    ImportPreview.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    upload_employees(session_full(client, admin_a))
    assert list(ImportPreview.objects.values_list("owner", flat=True)) == [admin_a.pk]


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_register_the_payslips_once(on_postgres, admin_a, employee_b):
    clients = [session_full(Client(), admin_a) for _ in range(4)]
    token = upload_payslips(clients[0])
    connection.close()
    post_together(clients, PAYSLIPS, {"confirm": "yes", "digest": token})
    assert Payslip.objects.count() == 1
    assert ImportPreview.objects.get().confirmed_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_import_the_employees_once(on_postgres, admin_a):
    clients = [session_full(Client(), admin_a) for _ in range(4)]
    token = upload_employees(clients[0], rows=3)
    connection.close()
    outcomes = post_together(clients, CONFIRM, {"token": token})
    assert sorted(str(o) for o in outcomes).count("200") == 1, outcomes  # one credentials page
    assert User.objects.filter(login_id__startswith="B10004").count() == 3
