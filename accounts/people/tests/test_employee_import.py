"""従業員の一括登録: parsing, planning, all-or-nothing import, tenant scoping, the command."""

import codecs
import io
import os

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from accounts.identity.groups import company_admin_group
from accounts.people.employee_apply import ImportRefused, employees_import
from accounts.models import SecurityEvent, User
from tests.helpers import make_user

Kind = SecurityEvent.Kind
HEADER = "ログインID,氏名,メールアドレス,会社管理者,状態\r\n"


def csv_bytes(body: str, *, header=HEADER, encoding="utf-8", bom=False) -> bytes:
    data = (header + body).encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(tenant, actor, data, filename="employees.csv", **kwargs):
    with pytest.raises(ImportRefused) as caught:
        employees_import(tenant=tenant, actor=actor, data=data, filename=filename, **kwargs)
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_create_update_and_offboard_in_one_file(acme, admin_a, employee_a, employee_b):
    data = csv_bytes(
        "B1000010,新人 花子,hanako@example.com,,\r\n"       # new
        "A1000011,新任 管理,kanri@example.com,○,在籍\r\n"    # new administrator
        "A1000002,佐藤 一郎（営業部）,sato@example.com,,\r\n"  # renamed
        "B1000001,鈴木 花子,b1000001@example.com,,退職\r\n"   # offboarded
        "A1000001,管理 太郎,a1000001@example.com,○,\r\n",     # unchanged
        bom=True)
    plan, issued = employees_import(tenant=acme, actor=admin_a, data=data, filename="社員.csv")
    assert plan.counts() == {"create": 2, "update": 1, "offboard": 1, "reactivate": 0, "unchanged": 1,
                             "errors": 0}
    assert sorted(item.user.login_id for item in issued) == ["A1000011", "B1000010"]
    hanako = User.objects.get(login_id="B1000010")
    assert hanako.tenant == acme and hanako.name == "新人 花子" and hanako.password_is_temporary
    assert hanako.password_expires_at is not None and not hanako.is_staff
    password = next(item.password for item in issued if item.user.login_id == "B1000010")
    assert hanako.password.startswith("pbkdf2_sha256_temporary$") and password not in hanako.password
    assert hanako.check_password(password)
    hanako.refresh_from_db()  # re-stored with the preferred hasher on first use
    assert not hanako.password.startswith("pbkdf2_sha256_temporary$")
    manager = User.objects.get(login_id="A1000011")
    assert manager.is_staff and company_admin_group() in manager.groups.all()
    employee_a.refresh_from_db()
    assert employee_a.name == "佐藤 一郎（営業部）" and employee_a.email == "sato@example.com"
    employee_b.refresh_from_db()
    assert not employee_b.is_active and not TOTPDevice.objects.filter(user=employee_b).exists()
    assert SecurityEvent.objects.filter(kind=Kind.OFFBOARDED, user=employee_b, actor=admin_a).exists()
    assert SecurityEvent.objects.filter(kind=Kind.TEMP_PASSWORD_ISSUED, user=hanako).count() == 1
    imported = SecurityEvent.objects.get(kind=Kind.EMPLOYEES_IMPORTED)
    assert imported.tenant == acme and imported.actor == admin_a
    assert not any(item.password in e.detail + str(e.data) for e in SecurityEvent.objects.all() for item in issued)


def test_columns_left_out_keep_their_values(acme, admin_a, employee_a):
    data = "ログインID,状態\r\nA1000002,在籍\r\n".encode()
    plan, _ = employees_import(tenant=acme, actor=admin_a, data=data, filename="x.csv")
    assert plan.unchanged == 1
    employee_a.refresh_from_db()
    assert employee_a.name == "佐藤 一郎" and employee_a.email


def test_full_width_ids_cp932_and_free_text_kept(acme, admin_a):
    data = csv_bytes("Ｂ１００００２０,髙﨑 ①㈱デモ,,,\r\n", encoding="cp932")
    employees_import(tenant=acme, actor=admin_a, data=data, filename="sjis.csv")
    assert User.objects.get(login_id="B1000020").name == "髙﨑 ①㈱デモ"


def test_xlsx(acme, admin_a):
    data = xlsx_bytes([["ログインID", "氏名", "会社管理者"], ["B1000030", "エクセル 太郎", None],
                       ["A1000031", "エクセル 管理", "○"]])
    plan, issued = employees_import(tenant=acme, actor=admin_a, data=data, filename="社員.xlsx")
    assert len(issued) == 2 and User.objects.get(login_id="A1000031").is_staff


def test_every_problem_with_its_line_and_column_and_nothing_changes(acme, admin_a, employee_a, fresh_a):
    body = (
        ",名無し,,,\r\n"                                   # 2: missing ID
        "X123,不正,,,\r\n"                                 # 3: malformed ID
        "B1000040,重複 元,,,\r\n"                          # 4
        "Ｂ１００００４０,重複 全角,,,\r\n"                   # 5: full-width duplicate of line 4
        "B1OOOO40,重複 似,,,\r\n"                           # 6: look-alike duplicate of line 4
        f"B1000041,{'長' * 101},,,\r\n"                    # 7: name too long
        "B1000042,メール,not-an-address,,\r\n"              # 8: bad e-mail
        "B1000043,管理?,,はい,\r\n"                         # 9: bad 会社管理者
        "B1000044,状態?,,,休職\r\n"                          # 10: bad 状態
        "B1000002,佐藤 一郎,,,\r\n"                         # 11: A1000002 (same name): A/B change
        "A1OOOOO3,似ている,,,\r\n"                           # 12: look-alike of existing A1000003
        "B1000045,新規退職,,,退職\r\n"                       # 13: unknown employee offboarded
        f"B{'1' * 20},長いID,,,\r\n")                       # 14: ID too long
    problems = refused(acme, admin_a, csv_bytes(body))
    lines = {(line, column) for line, column, _ in problems}
    assert lines == {(2, "ログインID"), (3, "ログインID"), (5, "ログインID"), (6, "ログインID"), (7, "氏名"),
                     (8, "メールアドレス"), (9, "会社管理者"), (10, "状態"), (11, "ログインID"),
                     (12, "ログインID"), (13, "状態"), (14, "ログインID")}
    messages = dict(((line, column), message) for line, column, message in problems)
    assert messages[(2, "ログインID")] == "ログインIDを入力してください。"
    assert "4 行目と同じログインID" in messages[(5, "ログインID")]
    assert messages[(7, "氏名")] == "100 文字以内で入力してください。"
    assert messages[(14, "ログインID")] == "20 文字以内で入力してください。"
    assert "A / B は変更できません" in messages[(11, "ログインID")]
    assert "A1000003" in messages[(12, "ログインID")]
    assert not User.objects.filter(login_id__in=["B1000040", "B1000041"]).exists()


def test_a_missing_login_id_column_is_the_only_problem_of_a_file_with_known_columns(acme, admin_a):
    problems = refused(acme, admin_a, "氏名,部署,基本給\r\n山田,営業,250000\r\n".encode())
    assert [(line, column) for line, column, _ in problems] == [(1, "ログインID")]
    assert "ありません" in problems[0][2]


def test_one_bad_row_changes_nothing(acme, admin_a, employee_b):
    data = csv_bytes("B1000050,正しい,,,\r\nB1000001,鈴木 花子,,,退職\r\nB1000051,,bad@,,\r\n")
    problems = refused(acme, admin_a, data)
    assert [(line, column) for line, column, _ in problems] == [(4, "メールアドレス")]
    employee_b.refresh_from_db()
    assert employee_b.is_active and not User.objects.filter(login_id="B1000050").exists()


def test_last_active_administrator_cannot_be_offboarded(acme, operator, admin_a):
    problems = refused(acme, operator, csv_bytes("A1000001,管理 太郎,,○,退職\r\n"))
    assert [(line, column) for line, column, _ in problems] == [(2, "状態")]
    assert "会社管理者" in problems[0][2]


def test_administrator_cannot_offboard_themselves(acme, admin_a):
    problems = refused(acme, admin_a, csv_bytes("A1000001,管理 太郎,,,\r\n"))
    assert [(line, column) for line, column, _ in problems] == [(2, "会社管理者")]


def test_another_companys_id_is_refused_generically_and_counted(acme, admin_a, other_user, settings):
    data = csv_bytes("B2000001,他社の人,,,\r\nB1000060,自社の人,,,\r\n")
    problems = refused(acme, admin_a, data)
    assert problems == [(2, "ログインID", "このログインIDは使用できません。別のログインIDを指定してください。")]
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_ID_REFUSED)
    assert event.actor == admin_a and event.tenant == acme and event.login_id == "B2000001"
    other_user.refresh_from_db()
    assert other_user.tenant.code == "other" and other_user.is_active


def test_refusal_limit_applies_to_files(acme, admin_a, other_tenant, settings):
    settings.LOGIN_ID_REFUSAL_LIMIT = 2
    foreign = [make_user(f"B20000{i:02d}", other_tenant).login_id for i in range(4)]
    body = "".join(f"{login_id},x,,,\r\n" for login_id in foreign) + "B1000070,空き,,,\r\n"
    problems = refused(acme, admin_a, csv_bytes(body))
    messages = [message for _, _, message in problems]
    assert messages[:2] == ["このログインIDは使用できません。別のログインIDを指定してください。"] * 2
    assert all("しばらくの間" in message for message in messages[2:]) and len(messages) == 5
    # a free ID is refused the same way as a taken one once the limit is reached
    assert problems[-1][0] == 6
    assert SecurityEvent.objects.filter(kind=Kind.LOGIN_ID_REFUSED, data__reason="taken").count() == 2


def test_operator_importing_into_a_company_is_told_plainly(acme, operator, admin_a, other_user):
    problems = refused(acme, operator, csv_bytes("B2000001,他社の人,,,\r\n"))
    assert problems == [(2, "ログインID", "このログインIDは別の会社（他社株式会社）で使われています。")]
    assert not SecurityEvent.objects.filter(kind=Kind.LOGIN_ID_REFUSED).exists()


def test_offboarded_employee_comes_back_with_a_fresh_temporary_password(acme, admin_a, employee_b, client):
    employees_import(tenant=acme, actor=admin_a, data="ログインID,状態\r\nB1000001,退職\r\n".encode(),
                     filename="x.csv")
    employee_b.refresh_from_db()
    assert not employee_b.is_active
    plan, issued = employees_import(tenant=acme, actor=admin_a, data="ログインID,状態\r\nB1000001,在籍\r\n".encode(),
                                    filename="x.csv")
    assert plan.counts()["reactivate"] == 1 and [item.user.login_id for item in issued] == ["B1000001"]
    employee_b.refresh_from_db()
    assert employee_b.is_active and employee_b.password_is_temporary
    assert employee_b.check_password(issued[0].password)
    assert not TOTPDevice.objects.filter(user=employee_b).exists()


def test_dry_run_changes_nothing(acme, admin_a):
    plan, issued = employees_import(tenant=acme, actor=admin_a, data=csv_bytes("B1000080,x,,,\r\n"),
                                    filename="x.csv", dry_run=True)
    assert plan.counts()["create"] == 1 and issued == []
    assert not User.objects.filter(login_id="B1000080").exists()


# -- the command ----------------------------------------------------------------

def test_command_writes_the_credentials_file(acme, tmp_path, capsys):
    source = tmp_path / "社員.csv"
    source.write_bytes(csv_bytes("B1000090,コマンド 太郎,,,\r\nA1000091,コマンド 管理,,○,\r\n", bom=True))
    out = tmp_path / "credentials.csv"
    call_command("import_employees", "acme", str(source), "--credentials-out", str(out))
    assert "新規 2 名" in capsys.readouterr().out
    text = out.read_bytes().decode("utf-8-sig").splitlines()
    assert text[0] == "ログインID,氏名,仮パスワード,有効期限"
    login_id, name, password, expires = text[1].split(",")
    assert login_id == "A1000091" and User.objects.get(login_id=login_id).check_password(password)
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"


def test_command_dry_run_and_errors(acme, tmp_path, capsys):
    source = tmp_path / "bad.csv"
    source.write_bytes(csv_bytes("B1000092,x,,,\r\nX1,y,,,\r\n"))
    with pytest.raises(CommandError, match="エラーが 1 件"):
        call_command("import_employees", "acme", str(source), "--credentials-out", str(tmp_path / "c.csv"))
    assert "3 行目［ログインID］" in capsys.readouterr().err
    assert not (tmp_path / "c.csv").exists() and not User.objects.filter(login_id="B1000092").exists()
    source.write_bytes(csv_bytes("B1000092,x,,,\r\n"))
    call_command("import_employees", "acme", str(source), "--dry-run")
    assert "確認のみ" in capsys.readouterr().out and not User.objects.filter(login_id="B1000092").exists()
    with pytest.raises(CommandError, match="--credentials-out"):
        call_command("import_employees", "acme", str(source))


def test_a_and_b_with_the_same_number_may_be_different_people(acme, admin_a, employee_a):
    plan, _ = employees_import(tenant=acme, actor=admin_a, data=csv_bytes("B1000002,別人 次郎,,,\r\n"),
                               filename="x.csv")
    assert plan.counts()["create"] == 1


def test_xlsx_formatted_far_down_reads_only_its_data(acme, admin_a):
    book = Workbook()
    sheet = book.active
    sheet.append(["ログインID", "氏名"])
    sheet.append(["B1000095", "書式 あり"])
    sheet.cell(row=30000, column=1).number_format = "@"  # formatting, no value
    sheet.cell(row=30000, column=1).value = ""
    out = io.BytesIO()
    book.save(out)
    plan, _ = employees_import(tenant=acme, actor=admin_a, data=out.getvalue(), filename="x.xlsx", dry_run=True)
    assert plan.counts()["create"] == 1


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_reading(acme, admin_a):
    """A zip bomb: a few hundred kB that would unpack to hundreds of MB."""
    import zipfile

    from kit.spreadsheets import MAX_XLSX_UNPACKED, FileProblem, read_table

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_XLSX_UNPACKED + 1))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(FileProblem) as problem:
        read_table(out.getvalue(), "社員.xlsx")
    assert "大きすぎます" in str(problem.value)
