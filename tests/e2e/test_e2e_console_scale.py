"""A company administrator runs the company at scale in a real browser:
the front-page counts, 従業員の一括登録 with its preview, the credentials page
and the printable slips, the export, offboarding and a readable security log."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from tests.helpers import make_user

from .conftest import DESKTOP, PHONE, shot
from .flows import signed_in

pytestmark = pytest.mark.e2e

CSV = ("ログインID,氏名,メールアドレス,会社管理者,状態\r\n"
       "B1000201,山田 花子,hanako@example.com,,在籍\r\n"
       "A1000202,田中 管理,kanri@example.com,○,\r\n"
       "A1000002,佐藤 一郎（営業部）,a1000002@example.com,,\r\n"
       "B1000001,鈴木 花子,b1000001@example.com,,退職\r\n")


def console_page(browser_factory, admin_a, **options):
    page = browser_factory(**options)
    signed_in(page, admin_a, go="/admin/")
    return page


def test_company_console_walk(browser_factory, admin_a, employee_a, employee_b, fresh_b, tmp_path):
    page = console_page(browser_factory, admin_a)
    assert page.get_by_text("2要素認証が未設定").is_visible()
    shot(page, "30-console-front")

    page.goto(page.base + "/admin/accounts/user/")
    with page.expect_navigation():
        page.get_by_role("link", name="従業員の一括登録").click()
    source = tmp_path / "社員.csv"
    source.write_bytes(CSV.encode("cp932"))
    page.locator("input[type=file]").set_input_files(str(source))
    with page.expect_navigation():
        page.get_by_role("button", name="内容を確認する").click()
    assert page.get_by_text("B1000001 鈴木 花子").is_visible()
    shot(page, "31-import-preview")
    assert not User.objects.filter(login_id="B1000201").exists()

    with page.expect_navigation():
        page.get_by_role("button", name="この内容で登録する").click()
    assert page.get_by_text("新規 2 名 / 更新 1 名 / 退職 1 名").is_visible()
    passwords = page.locator(".temporary-password").all_inner_texts()
    assert len(passwords) == 2
    shot(page, "32-import-credentials")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="ログイン情報のお知らせを印刷（A4・1人1枚）").click()
    slips = opened.value
    slips.wait_for_load_state()
    assert slips.locator(".slip").count() == 2 and slips.get_by_text("山田 花子 様").is_visible()
    assert set(passwords) <= set(slips.locator(".slip-secret").all_inner_texts())
    shot(slips, "33-slip")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSVをダウンロード").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("ログインID,氏名,仮パスワード,有効期限") and "B1000201,山田 花子," in text

    employee_b.refresh_from_db()
    assert not employee_b.is_active and not TOTPDevice.objects.filter(user=employee_b).exists()

    # Export: the same columns, ready to edit and import again.
    page.goto(page.base + "/admin/accounts/user/")
    with page.expect_download() as download:
        page.get_by_role("link", name="書き出し（CSV）").click()
    exported = open(download.value.path(), encoding="utf-8-sig").read()
    assert exported.splitlines()[0] == "ログインID,社員番号,氏名,フリガナ,メールアドレス,部署,役職,入社日,会社管理者,状態"
    assert "B1000001,,鈴木 花子,,b1000001@example.com,,,,,退職" in exported

    # Offboarding one employee from the list.
    page.locator(f"input[name=_selected_action][value='{fresh_b.pk}']").check()
    page.locator("select[name=action]").select_option("offboard_action")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    with page.expect_navigation():
        page.get_by_role("button", name="退職にする").click()
    fresh_b.refresh_from_db()
    assert not fresh_b.is_active

    # The security log reads as Japanese and fits 1280 px.
    page.goto(page.base + "/admin/accounts/securityevent/")
    assert page.get_by_text("退職（利用停止）").first.is_visible()
    assert page.get_by_text("管理 太郎（A1000001）が実行").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "34-security-log")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EMPLOYEES_IMPORTED).count() == 1


def test_console_pages_on_a_phone(browser_factory, admin_a, tmp_path):
    make_user("B1000301", admin_a.tenant, name="既存 社員")
    page = console_page(browser_factory, admin_a, viewport=PHONE)
    page.goto(page.base + "/admin/accounts/user/import/")
    source = tmp_path / "e.csv"
    source.write_text("ログインID,氏名,メールアドレス\r\nB1000302,携帯 太郎,bad-address\r\nX1,,\r\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(source))
    with page.expect_navigation():
        page.get_by_role("button", name="内容を確認する").click()
    assert page.get_by_text("メールアドレスの形式が正しくありません。").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "35-import-errors-phone")


# A payroll package's export as HR has it: CP932, its own titles, columns the portal does not keep.
PAYROLL = ("従業員番号,氏名,ﾌﾘｶﾞﾅ,所属,役職名,入社年月日,メール アドレス,基本給,住所,備考,ログインＩＤ,会社管理者\r\n"
           "0101,給与 一郎,ｷｭｳﾖ ｲﾁﾛｳ,営業部,,2024/4/1,ichiro@example.com,300000,東京都港区1-1,,B1000401,\r\n"
           "0002,佐藤 一郎,さとう いちろう,経理部,課長,令和3年4月1日,a1000002@example.com,420000,,,A1000002,○\r\n")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_payroll_export_imports_as_it_is_with_its_people_in_the_preview(browser_factory, admin_a, employee_a,
                                                                          tmp_path, viewport):
    page = console_page(browser_factory, admin_a, viewport=viewport)
    page.goto(page.base + "/admin/accounts/user/import/")
    source = tmp_path / "給与システム.csv"
    source.write_bytes(PAYROLL.encode("cp932"))
    page.locator("input[type=file]").set_input_files(str(source))
    with page.expect_navigation():
        page.get_by_role("button", name="内容を確認する").click()
    # Who is new, what changes for whom (the 会社管理者 grant marked), which columns are left out.
    assert page.locator("#import-create + .console-scroll").get_by_text("給与 一郎").is_visible()
    changed = page.locator("tr.import-admin-change")
    assert changed.get_by_text("A1000002").is_visible() and changed.get_by_text("権限の変更").is_visible()
    assert changed.get_by_text("部署: （空欄） →").is_visible()
    assert page.get_by_text("「基本給」「住所」「備考」").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shot(page, "36-payroll-preview" + ("-phone" if viewport is PHONE else ""))
    with page.expect_navigation():
        page.get_by_role("button", name="この内容で登録する").click()
    assert page.get_by_text("新規 1 名 / 更新 1 名").is_visible()
    new = User.objects.get(login_id="B1000401")
    assert (new.employee_number, new.furigana, new.department) == ("0101", "キュウヨ\u3000イチロウ", "営業部")
    employee_a.refresh_from_db()
    assert employee_a.is_staff and employee_a.job_title == "課長"
