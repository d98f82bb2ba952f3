"""Property-based tests (hypothesis) of the import parsers: whatever bytes arrive
as an upload — generated tables in every encoding, valid files mutated, random
bytes — the employee and payslip parsers return rows or raise their own
message (FileProblem, PayslipImportError), never anything else, and each
file is answered within a bound."""

import io
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kit.spreadsheets import FileProblem, read_table
from accounts.people.employee_file import employees_parse
from payslips.services import PayslipImportError, payslips_read

BOUND_SECONDS = 2
PROPERTY = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp932", "euc_jp"]
EMPLOYEE_HEADER = ["ログインID", "氏名", "メールアドレス", "会社管理者", "状態"]
PAYSLIP_HEADER = ["ログインID", "支給年月", "支給日", "支給:基本給", "控除:所得税", "備考"]

cell = st.one_of(
    st.text(max_size=12),
    st.integers(1000, 5000).map(lambda digits: "1" * digits),  # beyond any amount and int()'s limit
    st.sampled_from(["B1000001", "A1000002", "Ｂ１０００００１", "2026-04", "２０２６年４月", "250,000", "-0",
                     "○", "退職", "=cmd|' /C calc'!A0", "\x00", "\r\n", '"', "\ufeff", "¥1,000円"]),
)
row = st.lists(cell, max_size=8)
padded_row = st.tuples(row, st.integers(0, 3000)).map(lambda pair: pair[0] + [""] * pair[1])


def csv_bytes(header, rows, encoding) -> bytes:
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for line in [header, *rows]:
        writer.writerow(line)
    return out.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(header, rows) -> bytes:
    book = Workbook()
    for line in [header, *rows]:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def mutated(draw, files):
    """A valid file, then a few byte-level mutations: flips, inserts, cuts, repeats."""
    data = bytearray(draw(files))
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        at = draw(st.integers(0, 10**6)) % len(data)  # (an .xlsx holds its save time: lengths vary)
        kind = draw(st.sampled_from(["flip", "insert", "truncate", "repeat", "delete"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=16))
        elif kind == "truncate":
            del data[at:]
        elif kind == "repeat":
            data[at:at] = data[at:at + 64] * draw(st.integers(1, 50))
        else:
            del data[at:at + draw(st.integers(1, 64))]
    return bytes(data)


employee_csv = st.builds(csv_bytes, st.just(EMPLOYEE_HEADER), st.lists(padded_row, max_size=20),
                         st.sampled_from(ENCODINGS))
payslip_csv = st.builds(csv_bytes, st.just(PAYSLIP_HEADER), st.lists(padded_row, max_size=20),
                        st.sampled_from(ENCODINGS))
employee_xlsx = st.builds(xlsx_bytes, st.just(EMPLOYEE_HEADER), st.lists(row, max_size=10))
any_upload = st.one_of(st.binary(max_size=4096), mutated(employee_csv), mutated(payslip_csv),
                       mutated(employee_xlsx), employee_csv, payslip_csv)


def timed(call):
    started = time.monotonic()
    try:
        return call()
    finally:
        assert time.monotonic() - started < BOUND_SECONDS


@PROPERTY
@given(data=any_upload, name=st.sampled_from(["社員.csv", "社員.xlsx", "社員.xls", "x"]))
def test_the_table_reader_returns_rows_or_its_message(data, name):
    try:
        rows = timed(lambda: read_table(data, name))
    except FileProblem as problem:
        assert str(problem)
    else:
        for line, cells in rows:
            assert line >= 1 and all(isinstance(value, str) and "\x00" not in value for value in cells)


@PROPERTY
@given(data=st.one_of(employee_csv, employee_xlsx, mutated(employee_csv), mutated(employee_xlsx)))
def test_the_employee_parser_returns_rows_and_problems_or_its_message(data):
    name = "社員.xlsx" if data[:2] == b"PK" else "社員.csv"
    try:
        rows, problems = timed(lambda: employees_parse(data, name))
    except FileProblem:
        return
    for problem in problems:
        assert problem.line >= 1 and str(problem)
    for parsed in rows:
        assert parsed.login_id and "\x00" not in parsed.login_id and "\x00" not in (parsed.name or "")


@pytest.mark.django_db
@PROPERTY
@given(data=st.one_of(payslip_csv, mutated(payslip_csv), st.binary(max_size=2048)))
def test_the_payslip_parser_returns_rows_or_its_messages(acme, employee_a, employee_b, data):
    try:
        rows = timed(lambda: payslips_read(tenant=acme, data=data))
    except PayslipImportError as error:
        assert error.errors and all(message for message in error.errors)
    else:
        for parsed in rows:
            assert "\x00" not in parsed.note
            assert all(abs(amount) < 100_000_000 for _kind, _name, amount in parsed.items)
