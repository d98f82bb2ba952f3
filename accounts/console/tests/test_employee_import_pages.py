"""The console's company-scale pages: 従業員の一括登録 with preview and confirm,
credentials CSV and slips, export, offboarding and re-activation."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from accounts.models import ImportPreview, SecurityEvent, User
from tests.helpers import PASSWORD, make_user, session_full

Kind = SecurityEvent.Kind
USERS = "/admin/accounts/user/"
IMPORT = USERS + "import/"
HEADER = "ログインID,氏名,メールアドレス,会社管理者,状態\r\n"


@pytest.fixture
def console(client, admin_a):
    return session_full(client, admin_a)


def upload(client, body: str, name="社員.csv", **extra):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, (HEADER + body).encode("utf-8-sig")), **extra})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def issued_pairs(response) -> dict:
    text = re.search(r'<textarea name="credentials"[^>]*>(.*?)</textarea>', response.content.decode(), re.S).group(1)
    return dict(line.split("\t") for line in text.strip().splitlines())


def test_changelist_links_to_import_and_export(console):
    page = console.get(USERS).content.decode()
    assert IMPORT in page and USERS + "export/?format=csv" in page and USERS + "export/?format=xlsx" in page


def test_upload_preview_confirm_credentials(console, admin_a, employee_b):
    preview = upload(console, "B1000101,一括 花子,,,\r\nA1000102,一括 管理,,○,\r\nB1000001,,,,退職\r\n")
    page = preview.content.decode()
    assert preview.status_code == 200 and "この内容で登録する" in page
    assert re.search(r"新規</strong> 2 名", page) and re.search(r"退職</strong> 1 名", page)
    assert "B1000001 鈴木 花子" in page  # the offboarded are named before anything is written
    assert not User.objects.filter(login_id="B1000101").exists()
    assert ImportPreview.objects.filter(owner=admin_a, confirmed_at=None).count() == 1  # the file, no password yet
    assert "B1000101" not in str(dict(console.session))  # the session does not carry the file

    done = console.post(IMPORT + "confirm/", {"token": token_of(preview)})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    pairs = issued_pairs(done)
    assert set(pairs) == {"B1000101", "A1000102"}
    assert User.objects.get(login_id="B1000101").check_password(pairs["B1000101"]) is True
    assert ImportPreview.objects.get().data == b"", "a confirmed file is not kept"
    employee_b.refresh_from_db()
    assert not employee_b.is_active
    again = console.post(IMPORT + "confirm/", {"token": token_of(preview)})
    assert again.status_code == 302 and again["Location"] == IMPORT


def test_credentials_csv_and_slips(console, admin_a, employee_a):
    done = console.post(IMPORT + "confirm/", {"token": token_of(upload(console, "B1000111,配布 一郎,,,\r\n"))})
    text = re.search(r'<textarea name="credentials"[^>]*>(.*?)</textarea>', done.content.decode(), re.S).group(1)
    csv = console.post(USERS + "credentials/", {"credentials": text, "format": "csv"})
    assert csv["Content-Disposition"].startswith("attachment;") and "no-store" in csv["Cache-Control"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "ログインID,氏名,仮パスワード,有効期限" and lines[1].startswith("B1000111,配布 一郎,")
    slips = console.post(USERS + "credentials/", {"credentials": text, "format": "slips"})
    page = slips.content.decode()
    assert "no-store" in slips["Cache-Control"] and "ログイン情報のお知らせ" in page
    assert "アクメ株式会社" in page and "配布 一郎 様" in page and issued_pairs(done)["B1000111"] in page
    assert "http://testserver/accounts/login/" in page and "就業打刻・明細閲覧のみ利用する" in page
    # a password the server cannot verify, or another company's user, is not printed
    forged = console.post(USERS + "credentials/", {"format": "slips",
                                                   "credentials": "B1000111\tWrongPassword\nB2000001\tx"})
    assert "配布 一郎" not in forged.content.decode() and "他社" not in forged.content.decode()


def test_preview_lists_every_error_with_its_value_and_offers_no_confirm(console, acme):
    response = upload(console, "B1000121,山田 一郎,bad,,\r\nX,,,,\r\n")
    page = response.content.decode()
    assert "この内容で登録する" not in page and "何も登録していません" in page
    assert "2 行目" in page and "メールアドレスの形式が正しくありません。" in page and "3 行目" in page
    assert "「bad」" in page and "B1000121 山田 一郎" in page and "「X」" in page  # the value and the person
    # The file waits for 列の対応 only: confirming it imports nothing.
    refused = console.post(IMPORT + "confirm/", {"token": token_of(response)})
    assert "何も登録していません" in refused.content.decode()
    assert not User.objects.filter(login_id="B1000121").exists()


def test_unreadable_file_is_a_form_error(console):
    response = console.post(IMPORT, {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not a zip")})
    assert "Excel ファイル（.xlsx）として読み込めません。" in response.content.decode()


def test_confirm_rechecks_and_changes_nothing_when_the_data_moved(console, other_tenant):
    preview = upload(console, "B1000131,競合,,,\r\n")
    make_user("B1000131", other_tenant)  # taken elsewhere between preview and confirm
    page = console.post(IMPORT + "confirm/", {"token": token_of(preview)}).content.decode()
    assert "このログインIDは使用できません" in page
    assert User.objects.get(login_id="B1000131").tenant == other_tenant


def test_operator_names_the_company(client, operator, acme, other_tenant):
    from tests.helpers import add_device

    add_device(operator)
    session_full(client, operator)
    assert "取り込み先の会社" in client.get(IMPORT).content.decode()
    preview = upload(client, "B1000141,運営 経由,,,\r\n", tenant=other_tenant.pk)
    client.post(IMPORT + "confirm/", {"token": token_of(preview)})
    assert User.objects.get(login_id="B1000141").tenant == other_tenant


def test_employee_cannot_reach_the_pages(client, employee_a):
    session_full(client, employee_a)
    for url in (IMPORT, USERS + "export/"):
        response = client.get(url)
        assert response.status_code == 403 and "管理画面は会社の管理者のみ利用できます" in response.content.decode()


def test_reset_offers_slips(console, employee_a):
    response = console.post(USERS + f"{employee_a.pk}/reset-2fa/", {"confirm": "yes", "password": PASSWORD})
    assert "ログイン情報のお知らせを印刷" in response.content.decode()
    assert set(issued_pairs(response)) == {employee_a.login_id}


# -- export ---------------------------------------------------------------------------

def test_export_csv_and_xlsx_protect_against_formulas(console, acme, admin_a, other_user):
    make_user("B1000151", acme, name="=HYPERLINK(\"http://x\")")
    csv = console.get(USERS + "export/?format=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    assert text.splitlines()[0] == "ログインID,社員番号,氏名,フリガナ,メールアドレス,部署,役職,入社日,会社管理者,状態"
    assert "'=HYPERLINK" in text and "A1000001,,管理 太郎" in text and "B2000001" not in text
    xlsx = console.get(USERS + "export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[2].value for row in sheet.iter_rows()]
    cells = {row[2].value: row[2].data_type for row in sheet.iter_rows()}
    assert '=HYPERLINK("http://x")' in names and cells['=HYPERLINK("http://x")'] == "s"


def test_exported_csv_imports_back_unchanged(console, acme, admin_a, employee_a):
    make_user("B1000161", acme, name="-マイナス 始まり")
    csv = console.get(USERS + "export/?format=csv").content
    preview = console.post(IMPORT, {"file": SimpleUploadedFile("export.csv", csv)})
    page = preview.content.decode()
    assert "この内容で登録する" in page and re.search(r"変更なし</strong> 3 名", page), page


def test_export_command(acme, admin_a, tmp_path):
    from django.core.management import call_command

    call_command("export_employees", "acme", str(tmp_path / "e.xlsx"))
    call_command("export_employees", "acme", str(tmp_path / "e.csv"))
    assert (tmp_path / "e.csv").read_bytes().decode("utf-8-sig").startswith("ログインID,社員番号,氏名,フリガナ")
    assert load_workbook(tmp_path / "e.xlsx").active["A2"].value == "A1000001"


# -- offboarding and re-activation -------------------------------------------------

def change_form_data(user, **overrides):
    data = {"login_id": user.login_id, "name": user.name, "email": user.email, "is_active": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_unticking_active_offboards(console, admin_a, employee_a):
    response = console.post(USERS + f"{employee_a.pk}/change/", change_form_data(employee_a, is_active=None))
    assert response.status_code == 302
    employee_a.refresh_from_db()
    assert not employee_a.is_active and not TOTPDevice.objects.filter(user=employee_a).exists()
    assert SecurityEvent.objects.filter(kind=Kind.OFFBOARDED, user=employee_a, actor=admin_a).exists()


def test_reactivating_issues_a_temporary_password(console, admin_a, employee_a, client):
    console.post(USERS + f"{employee_a.pk}/change/", change_form_data(employee_a, is_active=None))
    response = console.post(USERS + f"{employee_a.pk}/change/", change_form_data(employee_a))
    pairs = issued_pairs(response)
    employee_a.refresh_from_db()
    assert employee_a.is_active and employee_a.password_is_temporary
    assert not employee_a.check_password(PASSWORD) and employee_a.check_password(pairs[employee_a.login_id])
    assert SecurityEvent.objects.filter(kind=Kind.REACTIVATED, user=employee_a).exists()


def test_offboard_action(console, admin_a, employee_a, employee_b):
    confirm = console.post(USERS, {"action": "offboard_action", "_selected_action": [employee_a.pk, admin_a.pk]})
    assert "退職にする" in confirm.content.decode()
    console.post(USERS, {"action": "offboard_action", "_selected_action": [employee_a.pk, admin_a.pk],
                         "confirm": "yes"})
    employee_a.refresh_from_db(), admin_a.refresh_from_db()
    assert not employee_a.is_active and admin_a.is_active


def test_slips_only_for_a_password_still_in_its_temporary_hash(console, admin_a):
    done = console.post(IMPORT + "confirm/", {"token": token_of(upload(console, "B1000171,一度 使用,,,\r\n"))})
    pairs = issued_pairs(done)
    user = User.objects.get(login_id="B1000171")
    assert user.check_password(pairs["B1000171"])  # the first login re-stores it with the preferred hasher
    page = console.post(USERS + "credentials/", {"format": "slips",
                                                 "credentials": f"B1000171\t{pairs['B1000171']}"})
    assert "一度 使用 様" not in page.content.decode()


def test_an_abandoned_preview_is_forgotten(console):
    upload(console, "B1000181,x,,,\r\n")
    assert ImportPreview.objects.filter(confirmed_at=None).exists()
    console.get(IMPORT)
    assert not ImportPreview.objects.exists()
