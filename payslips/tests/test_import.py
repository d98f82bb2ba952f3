"""明細登録 from CSV: all rows or none, with row-numbered Japanese errors."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from payslips.models import Payslip, PayslipItem
from payslips.services import PayslipImportError, payslips_import_csv
from tests.helpers import session_full, session_limited
from payslips.tests.factories import make_payslip

HEADER = "ログインID,支給年月,支給日,支給:基本給,支給:通勤手当,控除:所得税,控除:住民税\r\n"
GOOD = HEADER + (
    "B1000001,2026-04,2026-04-25,\"250,000\",12000,5130,11000\r\n"
    "A1000002,2026年4月,2026/4/25,300000,,7000,15000\r\n"
)


def upload(text, encoding="utf-8"):
    return SimpleUploadedFile("payslips.csv", text.encode(encoding), content_type="text/csv")


def import_text(tenant, actor, text, encoding="utf-8"):
    return payslips_import_csv(tenant=tenant, file=io.BytesIO(text.encode(encoding)), actor=actor)


def rejected(tenant, actor, text, encoding="utf-8") -> list[str]:
    with pytest.raises(PayslipImportError) as info:
        import_text(tenant, actor, text, encoding)
    assert Payslip.objects.count() == 0 and PayslipItem.objects.count() == 0, "nothing is half-imported"
    return info.value.errors


@pytest.fixture
def staff(admin_a, employee_a, employee_b):
    return admin_a


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_import_in_each_encoding(acme, staff, employee_a, employee_b, encoding):
    text = GOOD.replace("基本給", "基本給（①）") if encoding == "cp932" else GOOD
    created = import_text(acme, staff, text, encoding)
    assert len(created) == 2
    payslip = Payslip.objects.of_user(employee_b).with_totals().get()
    assert payslip.pay_month == datetime.date(2026, 4, 1)
    assert payslip.paid_on == datetime.date(2026, 4, 25)
    assert payslip.net_pay == 250000 + 12000 - 5130 - 11000
    assert payslip.created_by == staff
    names = list(payslip.items.values_list("name", flat=True))
    assert names[0].startswith("基本給") and "所得税" in names
    other = Payslip.objects.of_user(employee_a).get()
    assert not other.items.filter(name="通勤手当").exists(), "an empty cell is not an item"


def confirm(client, preview):
    """Press 「登録する」 on the preview page."""
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.content.decode()).group(1)
    return client.post("/payslips/import/", {"confirm": "yes", "digest": digest}, follow=True)


def test_upload_shows_a_preview_and_registers_only_when_confirmed(client, staff, employee_b):
    session_full(client, staff)
    preview = client.post("/payslips/import/", {"file": upload(GOOD, "cp932")})
    page = preview.content.decode()
    assert "明細登録の確認" in page and "まだ登録していません" in page
    assert "2026年4月" in page and "2 件" in page and "2 名" in page
    assert "鈴木 花子" in page and "245,870円" in page  # 250,000 + 12,000 − 5,130 − 11,000
    assert "no-store" in preview["Cache-Control"]
    assert Payslip.objects.count() == 0
    response = confirm(client, preview)
    assert response.redirect_chain[-1][0] == \
        "/admin/payslips/payslip/?pay_month__year=2026&pay_month__month=4"  # the list of what was imported
    assert "2026年4月分 の明細を 2 件登録しました（2 名）" in response.content.decode()
    assert Payslip.objects.count() == 2
    # Pressing 登録する again (back button, second tab) registers nothing more.
    again = confirm(client, preview)
    assert "このファイルはすでに登録済みです" in again.content.decode()
    assert Payslip.objects.count() == 2


def test_upload_page_imports_and_employee_sees_it(client, staff, employee_b):
    session_full(client, staff)
    response = confirm(client, client.post("/payslips/import/", {"file": upload(GOOD, "cp932")}))
    assert "2 件登録しました" in response.content.decode()
    session_limited(client, employee_b)
    assert "245,870円" in client.get("/payslips/").content.decode()


def test_upload_page_shows_row_numbered_errors(client, staff):
    session_full(client, staff)
    bad = HEADER + "B1000001,2026-04,,abc,0,0,0\r\n"
    response = client.post("/payslips/import/", {"file": upload(bad)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1件も登録していません" in page
    assert "2行目: 「支給:基本給」の金額「abc」が数値ではありません。" in page
    assert Payslip.objects.count() == 0


def test_empty_upload_is_a_form_error(client, staff):
    session_full(client, staff)
    response = client.post("/payslips/import/", {"file": upload("")})
    assert response.status_code == 200
    assert Payslip.objects.count() == 0


def test_wrong_columns(acme, staff):
    errors = rejected(acme, staff, "通勤経路,支給年月,基本給\r\nB1000001,2026-04,1000\r\n")
    assert "1行目: 列「通勤経路」は使えません。" in errors[0]
    assert any("列「基本給」は使えません" in e for e in errors)
    assert any("必須の列「ログインID」がありません" in e for e in errors)


def test_row_with_wrong_number_of_fields(acme, staff):
    errors = rejected(acme, staff, GOOD + "B1000001,2026-05,,1000\r\n")
    assert errors == ["4行目: 列の数が見出し行と違います（見出し 7 列、この行 4 列）。"]


def test_unknown_login_id(acme, staff):
    errors = rejected(acme, staff, GOOD + "B9999999,2026-05,,1000,0,0,0\r\n")
    assert errors == ["4行目: ログインID「B9999999」はこの会社の従業員として登録されていません。"]


def test_other_tenants_employee_is_refused_like_an_unknown_id(acme, staff, other_user):
    errors = rejected(acme, staff, GOOD + f"{other_user.login_id},2026-05,,1000,0,0,0\r\n")
    assert errors == [f"4行目: ログインID「{other_user.login_id}」はこの会社の従業員として登録されていません。"]
    assert not Payslip.objects.filter(user=other_user).exists()


def test_non_numeric_amounts(acme, staff):
    text = HEADER + "B1000001,2026-04,,25万,12000,5130,1.5\r\n"
    errors = rejected(acme, staff, text)
    assert errors == ["2行目: 「支給:基本給」の金額「25万」が数値ではありません。",
                      "2行目: 「控除:住民税」の金額「1.5」が数値ではありません。"]


def test_full_width_digits_and_yen_signs_are_accepted(acme, staff, employee_b):
    import_text(acme, staff, HEADER + "Ｂ１０００００１,２０２６－０４,,￥２５０，０００,12000円,0,0\r\n")
    assert Payslip.objects.of_user(employee_b).with_totals().get().net_pay == 262000


def test_duplicate_month_in_file(acme, staff):
    errors = rejected(acme, staff, GOOD + "b1000001,2026/04,,1,1,1,1\r\n")
    assert errors == ["4行目: B1000001 の2026年4月分が2行目と重複しています。"]


def test_month_already_registered(acme, staff, employee_b):
    make_payslip(employee_b, datetime.date(2026, 4, 1))
    with pytest.raises(PayslipImportError) as info:
        import_text(acme, staff, GOOD)
    assert info.value.errors == ["2行目: B1000001 の2026年4月分は既に登録されています。"]
    assert Payslip.objects.count() == 1, "the good row (A1000002) was not imported either"


def test_bad_month_and_date(acme, staff):
    errors = rejected(acme, staff, HEADER + "B1000001,4月,2026-02-30,1,1,1,1\r\n")
    assert "2行目: 支給年月「4月」を読み取れません（例: 2026-04）。" in errors
    assert "2行目: 支給日「2026-02-30」を読み取れません（例: 2026-04-25）。" in errors


def test_undecodable_file(acme, staff):
    with pytest.raises(PayslipImportError) as info:
        payslips_import_csv(tenant=acme, file=io.BytesIO(b"\xff\xfe\x00\x81\xff"), actor=staff)
    assert "文字コードを判別できません" in info.value.errors[0]


def test_header_only(acme, staff):
    assert rejected(acme, staff, HEADER) == ["明細の行がありません。"]


def test_errors_are_listed_in_row_order(acme, staff):
    text = HEADER + "B1000001,2026-04,,x,0,0,0\r\nB1000001,2026-04,,1,0,0,0\r\nB1000001,2026-04,,2,0,0,0\r\n"
    errors = rejected(acme, staff, text)
    assert [e.split("行目")[0] for e in errors] == ["2", "4"]


def test_import_needs_company_admin(client, employee_a):
    session_full(client, employee_a)
    assert client.get("/payslips/import/").status_code == 403
    assert client.post("/payslips/import/", {"file": upload(GOOD)}).status_code == 403
    assert client.get("/payslips/import/sample.csv").status_code == 403
    assert Payslip.objects.count() == 0


def test_import_needs_the_code(client, employee_b):
    session_limited(client, employee_b)
    response = client.get("/payslips/import/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")


def test_sample_csv_imports_once_ids_are_filled_in(client, acme, staff, employee_b):
    session_full(client, staff)
    response = client.get("/payslips/import/sample.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf"), "BOM so that Excel opens it as UTF-8"
    sample = response.content.decode("utf-8-sig").replace("B0000001", employee_b.login_id)
    response = confirm(client, client.post("/payslips/import/", {"file": upload(sample)}))
    assert "1 件登録しました" in response.content.decode()


def test_trailing_empty_cells_from_spreadsheets_are_ignored(acme, staff, employee_b):
    text = HEADER.replace("\r\n", ",,\r\n") + "B1000001,2026-04,,1000,0,0,0,,,\r\n"
    assert len(import_text(acme, staff, text)) == 1


def test_import_query_count_does_not_grow_with_rows(acme, staff, employee_b, django_assert_max_num_queries):
    rows = "".join(f"B1000001,{2000 + i // 12}-{i % 12 + 1:02d},,1000,0,0,0\r\n" for i in range(60))
    with django_assert_max_num_queries(8):
        assert len(import_text(acme, staff, HEADER + rows)) == 60
    assert PayslipItem.objects.count() == 60 * 4


def test_informational_columns_are_read_past_and_free_text_is_kept(acme, staff, employee_b):
    from payslips.services import payslips_import_csv

    text = ("ログインID,氏名,社員番号,支給年月,支給：髙﨑手当①,備考\r\n"
            "B1000001,鈴木 花子,0001,2026-04,1000,髙﨑支店より異動 ① ㈱デモ\r\n")
    [payslip] = payslips_import_csv(tenant=acme, file=io.BytesIO(text.encode()), actor=staff)
    assert payslip.note == "髙﨑支店より異動 ① ㈱デモ"
    assert [item.name for item in payslip.items.all()] == ["髙﨑手当①"]


def test_too_long_is_said_as_too_long(acme, staff, employee_b):
    errors = rejected(acme, staff, f"ログインID,支給年月,支給:{'長' * 41},備考\r\n"
                                   f"B1000001,2026-04,1000,x\r\n")
    assert errors[0] == "1行目: 列「支給:" + "長" * 17 + "…」の項目名は 40 文字以内で入力してください。"
    errors = rejected(acme, staff, f"ログインID,支給年月,支給:基本給,備考\r\nB1000001,2026-04,1000,{'x' * 201}\r\n")
    assert errors == ["2行目: 備考は 200 文字以内で入力してください。"]


def test_a_payslip_registered_between_preview_and_confirmation_is_refused(client, staff, employee_b):
    session_full(client, staff)
    preview = client.post("/payslips/import/", {"file": upload(GOOD)})
    make_payslip(employee_b, datetime.date(2026, 4, 1))
    response = confirm(client, preview)
    assert "既に登録されています" in response.content.decode()
    assert Payslip.objects.count() == 1


def test_opening_the_upload_page_again_forgets_the_preview(client, staff, employee_b):
    from accounts.models import ImportPreview

    session_full(client, staff)
    client.post("/payslips/import/", {"file": upload(GOOD)})
    assert ImportPreview.objects.filter(owner=staff, kind="payslips").exists()
    client.get("/payslips/import/")
    assert not ImportPreview.objects.exists()


def test_cancel_forgets_the_preview(client, staff, employee_b):
    session_full(client, staff)
    preview = client.post("/payslips/import/", {"file": upload(GOOD)})
    client.post("/payslips/import/", {"cancel": "yes"})
    assert "この確認画面は見つかりません" in confirm(client, preview).content.decode()
    assert Payslip.objects.count() == 0
