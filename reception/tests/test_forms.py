"""ネット de 受付: employees send 住所変更, 扶養家族の変更 and 口座変更 and follow their status."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reception.models import AddressChange, BankAccountChange, Submission
from kit.form_tokens import new_form_token
from tests.helpers import session_full, session_limited
from reception.tests.factories import make_address_change

ADDRESS = {"postal_code": "150-0001", "prefecture": "東京都", "city": "渋谷区", "address": "神宮前1-2-3",
           "address_kana": "トウキョウトシブヤクジングウマエ 1-2-3", "previous_address": "〒100-0001 東京都千代田区千代田1-1",
           "moved_on": "2026-04-01"}
BANK = {"bank_code": "0001", "bank_name": "みずほ銀行", "branch_code": "001", "branch_name": "東京営業部",
        "account_type": "ordinary", "account_number": "1234567", "holder_kana": "スズキ ハナコ"}
DEPENDANT = {"action": "add", "name": "鈴木 さくら", "relationship": "child",
             "birth_date": "2026-03-03", "effective_on": "2026-03-03"}


def fresh(data):
    """The form as a freshly rendered page sends it: with its own one-time token."""
    return {**data, "token": new_form_token()}


@pytest.mark.parametrize("kind", ["address", "dependant", "bank"])
def test_every_form_needs_the_code(client, employee_b, kind):
    session_limited(client, employee_b)
    response = client.get(f"/reception/new/{kind}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/?next=")
    session_full(client, employee_b)
    assert client.get(f"/reception/new/{kind}/").status_code == 200


@pytest.fixture
def employee(client, employee_b):
    session_full(client, employee_b)
    return employee_b


def test_address_change_is_sent_and_listed(client, employee):
    response = client.post("/reception/new/address/", fresh(ADDRESS), follow=True)
    page = response.content.decode()
    assert "「住所変更」を提出しました" in page
    assert "東京都渋谷区神宮前1-2-3" in page and "提出済" in page
    submission = Submission.objects.get(user=employee)
    assert submission.kind == "address" and submission.address_change.postal_code == "150-0001"
    listing = client.get("/reception/").content.decode()
    assert "住所変更" in listing and "〒150-0001" in listing and "提出済" in listing


@pytest.mark.parametrize("typed", ["１５０－０００１", "1500001", "〒150ー0001", " 150-0001 ", "１５０ｰ０００１"])
def test_postal_code_full_width_and_variants_are_normalised(client, employee, typed):
    response = client.post("/reception/new/address/", fresh({**ADDRESS, "postal_code": typed}))
    assert response.status_code == 302
    assert AddressChange.objects.get().postal_code == "150-0001"


@pytest.mark.parametrize("typed", ["150-001", "15-00001", "abc-defg", "150-00012", "150_0001", ""])
def test_bad_postal_code_is_a_form_error(client, employee, typed):
    response = client.post("/reception/new/address/", fresh({**ADDRESS, "postal_code": typed}))
    assert response.status_code == 200
    assert not Submission.objects.exists()
    if typed:
        assert "郵便番号は「123-4567」の形（数字7桁）で入力してください。" in response.content.decode()


def test_bank_change_normalises_digits_and_kana(client, employee):
    data = {**BANK, "bank_code": "０００１", "branch_code": "００１", "account_number": "１２３４５６７",
            "holder_kana": "すずき　ﾊﾅｺ"}
    response = client.post("/reception/new/bank/", fresh(data), follow=True)
    assert "「口座変更」を提出しました" in response.content.decode()
    bank = BankAccountChange.objects.get()
    assert (bank.bank_code, bank.branch_code, bank.account_number) == ("0001", "001", "1234567")
    assert bank.holder_kana == "スズキ ハナコ"
    assert "***4567" in client.get("/reception/").content.decode(), "the list masks the account number"


@pytest.mark.parametrize("field, value, message", [
    ("bank_code", "001", "金融機関コードは数字4桁で入力してください。"),
    ("bank_code", "00a1", "金融機関コードは数字4桁で入力してください。"),
    ("branch_code", "01", "支店コードは数字3桁で入力してください。"),
    ("branch_code", "0012", "支店コードは数字3桁で入力してください。"),
    ("account_number", "123456", "口座番号は数字7桁で入力してください"),
    ("account_number", "12-3456", "口座番号は数字7桁で入力してください"),
    ("holder_kana", "Suzuki Hanako", "口座名義はカタカナで入力してください"),
    ("holder_kana", "鈴木 花子", "口座名義はカタカナで入力してください"),
    ("account_type", "savings", "正しく選択してください"),
])
def test_bad_bank_details_are_form_errors(client, employee, field, value, message):
    response = client.post("/reception/new/bank/", fresh({**BANK, field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_dependant_add_and_remove(client, employee):
    assert client.post("/reception/new/dependant/", fresh(DEPENDANT)).status_code == 302
    remove = {**DEPENDANT, "action": "remove", "name": "鈴木 一郎", "relationship": "father",
              "birth_date": "1950-01-01"}
    assert client.post("/reception/new/dependant/", fresh(remove)).status_code == 302
    listing = client.get("/reception/").content.decode()
    assert "追加: 鈴木 さくら（子）" in listing
    assert "削除: 鈴木 一郎（父）" in listing


def test_dependant_birth_date_in_future_is_refused(client, employee):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post("/reception/new/dependant/", fresh({**DEPENDANT, "birth_date": future}))
    assert "生年月日が未来の日付になっています。" in response.content.decode()
    assert not Submission.objects.exists()


def test_unknown_form_kind_is_404(client, employee):
    assert client.get("/reception/new/marriage/").status_code == 404


def test_colleague_submission_is_404(client, employee, employee_a):
    submission = make_address_change(employee_a)
    assert client.get(f"/reception/{submission.pk}/").status_code == 404
    assert "千代田" not in client.get("/reception/").content.decode()


def test_status_and_comment_visible_to_employee(client, employee, admin_a):
    from reception.services import submission_process

    submission = make_address_change(employee)
    submission_process(submission=submission, status=Submission.Status.RETURNED, actor=admin_a,
                       comment="建物名と部屋番号を追記してください。")
    page = client.get(f"/reception/{submission.pk}/").content.decode()
    assert "差戻し" in page and "建物名と部屋番号を追記してください。" in page
    assert 'href="/reception/new/address/"' in page and "住所変更をもう一度提出する" in page


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_constant(client, employee, django_assert_max_num_queries):
    make_address_change(employee)
    client.get("/reception/")
    one = _count(client, "/reception/")
    for _ in range(4):
        client.post("/reception/new/address/", fresh(ADDRESS))
        client.post("/reception/new/bank/", fresh(BANK))
        client.post("/reception/new/dependant/", fresh(DEPENDANT))
    with django_assert_max_num_queries(one):
        page = client.get("/reception/").content.decode()
    assert page.count("提出済") == 13


def test_forms_use_autocomplete_attributes(client, employee):
    page = client.get("/reception/new/address/").content.decode()
    for token in ("postal-code", "address-level1", "address-level2", "address-line1", "address-line2"):
        assert f'autocomplete="{token}"' in page, token


def test_labels_have_no_western_colon(client, employee):
    page = client.get("/reception/new/address/").content.decode()
    assert ">郵便番号</label>" in page


def test_bank_change_notifies_the_employee_by_mail(client, employee, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reception/new/bank/", fresh(BANK))
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [employee.email]
    assert "給与振込口座の変更届" in mail.subject
    assert "末尾 567" in mail.body and "1234567" not in mail.body, "the full account number is never mailed"
