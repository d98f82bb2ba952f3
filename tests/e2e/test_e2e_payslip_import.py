"""明細登録 in a real browser on a phone: upload, the preview, 登録する, the console's list of what was imported;
the employee's slip with its 「勤怠」 block on the phone (issue 26)."""

import io

import pytest

from payslips.models import Payslip
from payslips.services import payslips_import_csv

from .conftest import PHONE, shot
from .flows import log_in, signed_in

pytestmark = pytest.mark.e2e

CSV = ("ログインID,氏名,支給年月,支給日,支給:基本給,支給:髙﨑手当,控除:所得税,控除:住民税\r\n"
       "B1000001,鈴木 花子,2026-04,2026-04-25,250000,12000,5130,11000\r\n"
       "A1000002,佐藤 一郎,2026-04,2026-04-25,300000,0,7000,15000\r\n")


def test_payslip_import_with_preview_on_a_phone(browser_factory, admin_a, employee_a, employee_b, tmp_path):
    page = browser_factory(PHONE)
    signed_in(page, admin_a, go="/payslips/import/")
    csv_file = tmp_path / "payroll.csv"
    csv_file.write_bytes(CSV.encode("cp932"))
    page.set_input_files("input[type=file]", str(csv_file))
    with page.expect_navigation():
        page.get_by_role("button", name="取り込む").click()
    assert page.get_by_role("heading", name="明細登録の確認").is_visible()
    summary = page.locator("#import-summary").inner_text()
    assert "2026年4月" in summary and "2 件" in summary and "2 名" in summary
    assert page.get_by_role("button", name="登録する").is_visible()  # on the phone's screen, no scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the table scrolls inside
    shot(page, "36-payslip-import-preview-phone")
    assert Payslip.objects.count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="登録する").click()
    assert "/admin/payslips/payslip/" in page.url and "pay_month__month=4" in page.url
    assert page.get_by_text("2026年4月分 の明細を 2 件登録しました（2 名）").is_visible()
    assert Payslip.objects.count() == 2
    assert Payslip.objects.get(user=employee_b).items.filter(name="髙﨑手当").exists()  # stored as written


def test_the_attendance_block_on_the_employees_phone(browser_factory, admin_a, employee_b):
    export = ("社員番号,ログインID,氏名,支給年月,支給日,出勤日数,欠勤日数,出勤時間,残業時間（ｈ）,深夜残業時間,"
              "有給取得日数,有給残日数,遅刻早退回数,支給:基本給,支給:残業手当,控除:所得税\r\n"
              "0001,B1000001,鈴木 花子,2026-11,2026-11-25,２０,0,１６０：３０,12.5,2:15,1,9.5,2,250000,18750,5130\r\n")
    [payslip] = payslips_import_csv(tenant=admin_a.tenant, file=io.BytesIO(export.encode("cp932")), actor=admin_a)
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    log_in(page, "B1000001")
    with page.expect_navigation():
        page.get_by_role("button", name="就業打刻・明細閲覧のみ利用する").click()
    page.goto(page.base + f"/payslips/{payslip.pk}/")
    block = page.locator("#attendance")
    assert block.locator("caption").inner_text() == "勤怠"
    text = block.inner_text()
    for item in ("出勤日数", "20日", "160時間30分", "12.5時間", "2時間15分", "9.5日", "2回"):
        assert item in text, item
    assert "出勤日数" not in page.locator("#earnings").inner_text(), "勤怠 apart from 支給"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "61-payslip-attendance-phone")
