"""Hostile uploads on the two import pages (従業員の一括登録 in the console,
明細登録): every file answers a Japanese message naming the row and column
where there is one, never a 500, in time linear in its size. On PostgreSQL
a NUL reaching a query or a row would be an error; it is refused first."""

import codecs
import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from accounts.models import ImportPreview, User
from payslips.models import Payslip
from tests.helpers import session_full

IMPORT = "/admin/accounts/user/import/"
PAYSLIPS = "/payslips/import/"
EMPLOYEE_HEADER = "ログインID,氏名,メールアドレス,会社管理者,状態\r\n"
PAYSLIP_HEADER = "ログインID,支給年月,支給日,支給:基本給,控除:所得税,備考\r\n"


@pytest.fixture
def console(admin_a, employee_b):
    # Server errors answer as in production (the site's 500 page) instead of raising.
    return session_full(Client(raise_request_exception=False), admin_a)


def post_employees(client, data: bytes, name="社員.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def post_payslips(client, data: bytes, name="payslips.csv"):
    return client.post(PAYSLIPS, {"file": SimpleUploadedFile(name, data)})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, change) -> bytes:
    """The .xlsx ``data`` with ``change(name, content)`` applied to each entry (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = change(entry.filename, source.read(entry))
            if content is not None:
                target.writestr(entry.filename, content)
    return out.getvalue()


GOOD_XLSX = xlsx([["ログインID", "氏名"], ["B1000301", "表計算 花子"]])

BAD_XLSX = {
    "not a zip": b"PK\x03\x04 not a zip at all",
    "truncated": GOOD_XLSX[: len(GOOD_XLSX) // 2],
    "without a sheet": rezip(GOOD_XLSX, lambda name, content: re.sub(
        rb"<sheets>.*</sheets>", b"<sheets/>", content) if name == "xl/workbook.xml" else content),
    "sheet file missing": rezip(GOOD_XLSX, lambda name, content: None if "worksheets/" in name else content),
    "broken sheet XML": rezip(GOOD_XLSX, lambda name, content: content[:-40] if "worksheets/" in name else content),
    "encrypted (OLE container)": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
    "empty": b"",
}


@pytest.mark.parametrize("data", BAD_XLSX.values(), ids=BAD_XLSX.keys())
def test_a_damaged_xlsx_is_a_message_not_a_500(console, data):
    response = post_employees(console, data, name="社員.xlsx")
    assert response.status_code == 200, response.status_code
    assert re.search("読み込めません|シートがありません|ファイルを選んでください|空", text_of(response))
    assert not ImportPreview.objects.exists()


def test_an_old_xls_is_named_as_such(console):
    response = post_employees(console, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, name="社員.xls")
    assert "古い Excel 形式（.xls）" in text_of(response)


def test_a_zip_entry_larger_than_it_says_is_refused(console):
    """A zip bomb whose header lies about the size: zipfile stops at the declared size."""
    data = bytearray(rezip(GOOD_XLSX, lambda name, content: content + b" " * 5_000_000
                           if "worksheets/" in name else content))
    # Shrink the declared size of the sheet in the central directory to a few bytes.
    directory = data.rfind(b"PK\x01\x02", 0, data.find(b"worksheets/sheet1.xml", data.rfind(b"PK\x05\x06") - 2000))
    assert directory > 0
    data[directory + 24:directory + 28] = (100).to_bytes(4, "little")
    started = time.monotonic()
    response = post_employees(console, bytes(data), name="社員.xlsx")
    assert response.status_code == 200
    assert "読み込めません" in text_of(response) or "行目" in text_of(response)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("encoding, bom", [("utf-16", b""), ("utf-8", codecs.BOM_UTF8), ("cp932", b""),
                                           ("euc_jp", b""), ("utf-8", b"")])
def test_every_japanese_encoding_reads_the_same(console, encoding, bom):
    data = bom + (EMPLOYEE_HEADER + "B1000311,高橋 ｶﾅ子 あいうえお,,,\r\n").encode(encoding)
    response = post_employees(console, data)
    assert re.search(r"新規</strong> 1 名", response.content.decode()) and "この内容で登録する" in response.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    console.post(IMPORT + "confirm/", {"token": token})
    assert User.objects.get(login_id="B1000311").name == "高橋 ｶﾅ子 あいうえお"


def test_nul_in_a_login_id_is_refused_with_its_row_and_column(console):
    page = text_of(post_employees(console, (EMPLOYEE_HEADER + "B1000321\x00,名前,,,\r\n").encode()))
    assert "2 行目 1 列目: 制御文字（NUL など）は使えません。" in page
    assert not User.objects.filter(login_id__startswith="B1000321").exists()


def test_too_many_columns_and_huge_cells_are_named(console):
    wide = EMPLOYEE_HEADER + "B1000331," + ",".join(["x"] * 200) + "\r\n"
    assert "2 行目: 列が多すぎます（100 列まで）。" in text_of(post_employees(console, wide.encode()))
    huge = EMPLOYEE_HEADER + "B1000331," + "長" * 5000 + ",,,\r\n"
    assert "2 行目 2 列目: セルの文字数が多すぎます（1,000 文字まで）。" in text_of(post_employees(console, huge.encode()))
    giant = EMPLOYEE_HEADER + "B1000331,\"" + "x" * 2_000_000 + "\",,,\r\n"
    assert "CSV として読み込めません" in text_of(post_employees(console, giant.encode()))


def test_the_limits_are_stated_on_both_upload_pages(console):
    for url in (IMPORT, PAYSLIPS):
        page = text_of(console.get(url))
        assert "20,000 行まで" in page and "100 列まで" in page and "1,000 文字まで" in page, url


# -- 明細登録 -----------------------------------------------------------------------------

@pytest.fixture
def payroll(console, employee_b):
    return console


def test_a_5000_digit_amount_is_a_message(payroll):
    page = text_of(post_payslips(payroll, (PAYSLIP_HEADER + "B1000001,2026-04,,1" + "0" * 4999 + ",0,\r\n").encode()))
    assert "2 行目 4 列目: セルの文字数が多すぎます" in page
    page = text_of(post_payslips(payroll, (PAYSLIP_HEADER + "B1000001,2026-04,,1" + "0" * 999 + ",0,\r\n").encode()))
    assert "2行目: 「支給:基本給」の金額" in page and "大きすぎます" in page
    assert not Payslip.objects.exists()


def test_full_width_digits_are_read_as_numbers(payroll):
    page = text_of(post_payslips(payroll, (PAYSLIP_HEADER + "Ｂ１０００００１,２０２６－０４,,２５０，０００,０,\r\n").encode()))
    assert "明細登録の確認" in page and "250,000円" in page


@pytest.mark.parametrize("row, column", [("B1000001\x00,2026-04,,1000,0,", 1),
                                          ("B1000001,2026-04,,1000,0,給与\x00振込", 6)])
def test_nul_in_a_login_id_or_a_note_is_refused_before_the_preview(payroll, row, column):
    response = post_payslips(payroll, (PAYSLIP_HEADER + row + "\r\n").encode())
    assert response.status_code == 200
    assert f"2 行目 {column} 列目: 制御文字（NUL など）は使えません。" in text_of(response)
    assert "登録する" not in text_of(response) and not ImportPreview.objects.exists()
    assert not Payslip.objects.exists()


def test_rows_of_trailing_empty_cells_take_linear_time(payroll):
    """1.6 MB of rows that end in tens of thousands of empty cells (trimming them was quadratic)."""
    row = "B1000001,2026-{month:02d},,1000,0," + "," * 40_000 + "\r\n"
    data = (PAYSLIP_HEADER + "".join(row.format(month=m) for m in range(1, 13)) * 3).encode()
    assert len(data) > 1_400_000
    started = time.monotonic()
    response = post_payslips(payroll, data)
    assert time.monotonic() - started < 5
    assert response.status_code == 200 and "重複しています" in text_of(response)


def test_a_4_mb_header_line_is_answered_quickly(payroll):
    started = time.monotonic()
    empty_tail = post_payslips(payroll, (PAYSLIP_HEADER.rstrip() + "," * 4_000_000 + "\r\nB1000001,2026-04,,1,0,\r\n").encode())
    full = post_payslips(payroll, (",".join(["a"] * 2_000_000) + "\r\n").encode())
    assert time.monotonic() - started < 5
    assert "明細登録の確認" in text_of(empty_tail)
    assert "1 行目: 列が多すぎます" in text_of(full)


def test_a_utf16_payslip_csv_is_read(payroll):
    page = text_of(post_payslips(payroll, (PAYSLIP_HEADER + "B1000001,2026-04,,1000,0,備考\r\n").encode("utf-16")))
    assert "明細登録の確認" in page
