"""A payroll system's export imports as it is: CP932, its own titles and extra
columns, Japanese dates; every problem at once with its value; the preview's
people; 列の対応 remembered per company; 社員番号 unique per company only."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from accounts.models import User
from accounts.people.employee_apply import ImportRefused, employees_import
from accounts.people.employee_columns import mapping_from_choices
from accounts.people.employee_file import employees_read
from accounts.people.import_report import plan_report
from tests.helpers import make_user

# As a Japanese payroll package writes it: half-width kana, a spaced e-mail title,
# synonyms, and columns the portal does not keep (基本給, 住所, 備考).
PAYROLL = (
    "従業員番号,氏名,ﾌﾘｶﾞﾅ,所属,役職名,入社年月日,メール アドレス,基本給,住所,備考,ログインＩＤ\r\n"
    "0001,山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,営業部,課長,2015/4/1,yamada@example.com,350000,東京都千代田区1-1,,A1000201\r\n"
    "0002,佐藤 花子,さとう はなこ,総務部,,令和6年4月1日,sato@example.com,240000,\"大阪府大阪市北区2-2\",時短勤務,B1000202\r\n"
    "０００３,鈴木 次郎,スズキ ジロウ,営業部,主任,2024-04-01,,260000,,,B1000203\r\n"
)


def imported(tenant, actor, data, name="給与システム.csv", dry_run=False):
    return employees_import(tenant=tenant, actor=actor, data=data, filename=name, dry_run=dry_run)


def test_a_cp932_payroll_export_with_extra_columns_imports_unchanged(acme, admin_a):
    plan, issued = imported(acme, admin_a, PAYROLL.encode("cp932"))
    assert len(issued) == 3 and [column.title for column in plan.skipped] == ["基本給", "住所", "備考"]
    yamada = User.objects.get(login_id="A1000201")
    assert (yamada.employee_number, yamada.name, yamada.furigana, yamada.department, yamada.job_title) == (
        "0001", "山田 太郎", "ヤマダ\u3000タロウ", "営業部", "課長")
    assert yamada.hired_on == datetime.date(2015, 4, 1) and yamada.email == "yamada@example.com"
    sato = User.objects.get(login_id="B1000202")
    assert sato.furigana == "サトウ\u3000ハナコ" and sato.hired_on == datetime.date(2024, 4, 1)
    assert User.objects.get(login_id="B1000203").employee_number == "0003"  # full-width digits folded
    # The same file again changes nothing.
    again, _ = imported(acme, admin_a, PAYROLL.encode("cp932"))
    assert again.counts()["unchanged"] == 3 and not again.update


def test_an_xlsx_with_date_cells_and_other_titles_reads_the_same(acme, admin_a):
    book = Workbook()
    book.active.append(["社員コード", "名前", "カナ氏名", "部門", "入社日", "E-mail", "ログインID", "扶養人数"])
    book.active.append([1001, "高橋 三郎", "ﾀｶﾊｼ ｻﾌﾞﾛｳ", "開発部", datetime.datetime(2023, 10, 2),
                        "takahashi@example.com", "B1000211", 2])
    out = io.BytesIO()
    book.save(out)
    plan, _ = imported(acme, admin_a, out.getvalue(), name="社員.xlsx")
    user = User.objects.get(login_id="B1000211")
    assert (user.employee_number, user.furigana, user.department, user.hired_on) == (
        "1001", "タカハシ\u3000サブロウ", "開発部", datetime.date(2023, 10, 2))
    assert [column.title for column in plan.skipped] == ["扶養人数"]


def test_header_and_row_problems_come_in_one_pass_with_values_and_people(acme, admin_a):
    data = ("社員番号,氏名,従業員番号,入社日,メールアドレス,ログインID\r\n"
            "1,山田 太郎,1,2024/13/1,yamada@,A1000221\r\n").encode("cp932")
    with pytest.raises(ImportRefused) as caught:
        imported(acme, admin_a, data)
    problems = {(problem.line, problem.column): problem for problem in caught.value.problems}
    assert "二つあります" in problems[(1, "従業員番号")].message  # header …
    assert problems[(2, "入社日")].value == "2024/13/1" and problems[(2, "入社日")].person == "A1000221 山田 太郎"
    assert problems[(2, "メールアドレス")].value == "yamada@"  # … and rows, at once
    assert "「2024/13/1」" in str(problems[(2, "入社日")])


def test_the_preview_names_people_and_shows_old_and_new(acme, admin_a, employee_b):
    data = ("ログインID,氏名,部署,会社管理者\r\n"
            "A1000001,管理 太郎,総務部,○\r\n"
            "B1000001,鈴木 花子,人事部,○\r\n"
            "B1000231,新人 一郎,営業部,\r\n").encode("cp932")
    plan, _ = imported(acme, admin_a, data, dry_run=True)
    report = plan_report(plan)
    assert [(person.login_id, person.name) for person in report["create"].people] == [("B1000231", "新人 一郎")]
    first = report["update"].people[0]  # the 会社管理者 change comes first
    assert first.login_id == "B1000001" and first.admin_change
    assert [(change.label, change.old, change.new) for change in first.changes] == [
        ("部署", "（空欄）", "人事部"), ("会社管理者", "一般", "会社管理者")]
    assert not report["update"].people[1].admin_change


def test_the_company_mapping_is_remembered_for_the_next_file(acme, admin_a, other_tenant):
    data = "番号,ログインID,氏名\r\nE-77,B1000241,森 一\r\n".encode("cp932")
    assert [column.title for column in employees_read(data, "a.csv").skipped] == ["番号"]
    acme.employee_import_columns = mapping_from_choices(["番号", "ログインID", "氏名"], ["社員番号", "ログインID", "氏名"])
    acme.save()
    assert acme.employee_import_columns == {"番号": "社員番号"}  # only what the title alone would not say
    imported(acme, admin_a, data)
    assert User.objects.get(login_id="B1000241").employee_number == "E-77"
    # Another company's files are read by their titles alone.
    assert employees_read(data, "a.csv", other_tenant.employee_import_columns).skipped[0].title == "番号"


def test_employee_numbers_are_unique_within_a_company_only(acme, admin_a, other_tenant, operator):
    other = make_user("B2000251", other_tenant)
    other.employee_number = "0001"
    other.save()
    imported(acme, admin_a, "ログインID,社員番号\r\nB1000251,0001\r\n".encode())  # repeats the other company's
    with pytest.raises(ImportRefused) as caught:
        imported(acme, admin_a, "ログインID,社員番号\r\nB1000252,0001\r\n".encode())
    problem = caught.value.problems[0]
    assert problem.column == "社員番号" and problem.value == "0001" and "B1000251" in problem.message
    assert "B2000251" not in str(caught.value.problems)
    # Two people may swap their numbers in one file.
    imported(acme, admin_a, "ログインID,社員番号\r\nB1000253,0002\r\n".encode())
    imported(acme, admin_a, "ログインID,社員番号\r\nB1000251,0002\r\nB1000253,0001\r\n".encode())
    assert User.objects.get(login_id="B1000253").employee_number == "0001"


def test_the_command_names_the_columns_it_leaves_out(acme, tmp_path):
    source = tmp_path / "給与.csv"
    source.write_bytes(PAYROLL.encode("cp932"))
    out = io.StringIO()
    call_command("import_employees", "acme", str(source), "--dry-run", stdout=out)
    assert "取り込まない列: 「基本給」「住所」「備考」" in out.getvalue() and "新規 3 名" in out.getvalue()
