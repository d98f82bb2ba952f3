"""勤怠 columns of a payroll export (出勤日数, 残業時間, 有給残日数 …): imported, not refused, and
shown in the slip's own 「勤怠」 block, apart from 支給 and 控除."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from payslips.attendance import attendance_column, attendance_value
from payslips.models import Payslip, PayslipAttendance
from payslips.services import PayslipImportError, payslips_import_csv
from tests.helpers import session_full, session_limited

# As a Japanese payroll system exports it (CP932): people's columns, 勤怠 with a unit in
# brackets, a full-width colon and digits, a space in a header.
EXPORT = (
    "社員番号,ログインID,氏名,支給年月,支給日,出勤日数,欠勤日数,出勤時間,残業時間（ｈ）,深夜残業時間,"
    "休日出勤日数,有給取得日数,有給 残日数,遅刻早退回数,支給：基本給,支給：残業手当,控除：所得税\r\n"
    "0001,B1000001,鈴木 花子,2026-11,2026-11-25,２０,0,１６０：３０,12.5,2:15,1,1,9.5,2,250000,18750,5130\r\n"
)


def test_the_common_headers_are_attendance_in_their_unit():
    assert attendance_column("出勤日数") == ("出勤日数", "days")
    assert attendance_column("残業時間(h)") == ("残業時間", "hours")
    assert attendance_column("深夜残業時間（ｈ）") == ("深夜残業時間", "hours")
    assert attendance_column("有給　残日数") == ("有給残日数", "days")
    assert attendance_column("遅刻早退回数") == ("遅刻早退回数", "times")
    assert attendance_column("勤怠：特休日数") == ("特休日数", "days")
    assert attendance_column("残業時間（60時間超）") == ("残業時間(60時間超)", "hours")
    assert attendance_column("遅早時間") == ("遅早時間", "hours")
    assert attendance_column("勤怠:リフレッシュ") == ("リフレッシュ", "")
    for not_attendance in ("支給:残業手当", "通勤経路", "基本給", "メモ時間"):
        assert attendance_column(not_attendance) is None, not_attendance


def test_values_as_payroll_exports_write_them():
    assert attendance_value("２０", "days") == "20"
    assert attendance_value("１６０：３０", "hours") == "160:30"
    assert attendance_value("12.5時間", "hours") == "12.5"
    assert attendance_value("9:30", "days") is None, "hours:minutes is no count of days"
    assert attendance_value("たくさん", "times") is None


def test_a_cp932_payroll_export_with_attendance_imports_as_it_is(client, acme, admin_a, employee_b):
    session_full(client, admin_a)
    preview = client.post("/payslips/import/", {"file": SimpleUploadedFile(
        "給与.csv", EXPORT.encode("cp932"), content_type="text/csv")})
    page = preview.content.decode()
    assert preview.status_code == 200 and "明細登録の確認" in page, page[:3000]
    assert "出勤日数、欠勤日数、出勤時間、残業時間" in page  # the 勤怠 columns the preview read
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    client.post("/payslips/import/", {"confirm": "yes", "digest": digest,
                                      "published_on": re.search(r'name="published_on" value="([0-9-]+)"',
                                                                page).group(1)})
    payslip = Payslip.objects.of_user(employee_b).with_totals().get()
    assert payslip.net_pay == 250000 + 18750 - 5130, "勤怠 is never summed into pay"
    assert [(a.name, a.value, a.unit) for a in payslip.attendance.all()] == [
        ("出勤日数", "20", "days"), ("欠勤日数", "0", "days"), ("出勤時間", "160:30", "hours"),
        ("残業時間", "12.5", "hours"), ("深夜残業時間", "2:15", "hours"), ("休日出勤日数", "1", "days"),
        ("有給取得日数", "1", "days"), ("有給残日数", "9.5", "days"), ("遅刻早退回数", "2", "times")]

    session_limited(client, employee_b)
    slip = client.get(f"/payslips/{payslip.pk}/").content.decode()
    block = slip[slip.index('id="attendance"'):]
    block = block[:block.index("</table>")]
    for text in ["勤怠", "出勤日数", "20日", "出勤時間", "160時間30分", "残業時間", "12.5時間", "深夜残業時間",
                 "2時間15分", "有給残日数", "9.5日", "遅刻早退回数", "2回"]:
        assert text in block, text
    earnings = slip[slip.index('id="earnings"'):slip.index('id="deductions"')]
    assert "出勤日数" not in earnings and "残業手当" in earnings, "勤怠 has its own block"
    assert "160時間30分" in client.get(f"/payslips/{payslip.pk}/print/").content.decode()


def test_an_unreadable_attendance_value_names_the_row_column_and_value(acme, admin_a, employee_b):
    text = "ログインID,支給年月,残業時間,支給:基本給\r\nB1000001,2026-11,十時間,1000\r\n"
    with pytest.raises(PayslipImportError) as info:
        payslips_import_csv(tenant=acme, file=io.BytesIO(text.encode()), actor=admin_a)
    assert info.value.errors == ["2行目: 「残業時間」の値「十時間」を読み取れません（例: 20、12.5、160:30）。"]
    assert not PayslipAttendance.objects.exists()


def test_a_slip_without_attendance_shows_no_empty_block(client, acme, admin_a, employee_b):
    text = "ログインID,支給年月,出勤日数,支給:基本給\r\nB1000001,2026-11,,1000\r\n"
    [payslip] = payslips_import_csv(tenant=acme, file=io.BytesIO(text.encode()), actor=admin_a)
    session_limited(client, employee_b)
    assert 'id="attendance"' not in client.get(f"/payslips/{payslip.pk}/").content.decode()
