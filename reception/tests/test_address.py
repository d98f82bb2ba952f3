"""住所変更 for Japan: the address from the postal code (Japan Post's data on this server, with or
without JavaScript), フリガナ, full-width digits normalised, and HR sees old → new."""

import re

import pytest

from kit.form_tokens import new_form_token
from reception.models import AddressChange, Submission
from reception.postal import address_for
from reception.tests.test_forms import ADDRESS
from tests.helpers import session_full, session_limited

FORM = "/reception/new/address/"


@pytest.fixture
def employee(client, employee_b):
    session_full(client, employee_b)
    return employee_b


def value_of(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    return value.group(1) if value else ""


def test_a_real_postal_code_gives_its_address():
    assert address_for("100-0001") == {"postal_code": "100-0001", "prefecture": "東京都", "city": "千代田区",
                                       "town": "千代田", "kana": "トウキョウトチヨダクチヨダ"}
    assert address_for("１５０ー０００１")["town"] == "神宮前", "full-width digits and a long-vowel dash"
    assert address_for("100-0000")["town"] == "", "「以下に掲載がない場合」 is no 町域"
    assert address_for("999-9999") is None and address_for("12") is None


def test_the_json_lookup_for_the_form(client, employee):
    response = client.get("/reception/postal-code/", {"code": "1000001"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"found": True, "postal_code": "100-0001", "prefecture": "東京都",
                               "city": "千代田区", "town": "千代田", "kana": "トウキョウトチヨダクチヨダ"}
    assert client.get("/reception/postal-code/", {"code": "999-9999"}).json() == {"found": False}


def test_the_json_lookup_is_declared_at_the_forms_level(client, employee_b):
    session_limited(client, employee_b)
    response = client.get("/reception/postal-code/", {"code": "1000001"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")
    client.logout()
    assert client.get("/reception/postal-code/", {"code": "1000001"}).status_code == 302


def test_the_form_asks_for_the_postal_code_first_with_a_lookup_script(client, employee):
    page = client.get(FORM).content.decode()
    assert page.index('name="postal_code"') < page.index('name="prefecture"') < page.index('name="address"')
    assert 'data-postal-lookup="/reception/postal-code/"' in page and "reception/postal.js" in page
    assert "郵便番号から住所を入力" in page


def test_without_javascript_the_button_fills_the_address_and_keeps_what_was_typed(client, employee):
    typed = {"postal_code": "１００－０００１", "prefecture": "", "city": "", "address": "", "building": "テスト荘２０１",
             "address_kana": "", "previous_address": "〒150-0001 東京都渋谷区神宮前1-2-3", "moved_on": "2026-11-01",
             "token": new_form_token(), "step": "lookup"}
    response = client.post(FORM, typed)
    page = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "郵便番号から「東京都千代田区千代田」を入力しました" in page
    assert value_of(page, "postal_code") == "100-0001"
    assert (value_of(page, "prefecture"), value_of(page, "city"), value_of(page, "address")) == (
        "東京都", "千代田区", "千代田")
    assert value_of(page, "address_kana") == "トウキョウトチヨダクチヨダ"
    assert value_of(page, "building") == "テスト荘２０１" and value_of(page, "moved_on") == "2026-11-01"
    assert value_of(page, "previous_address") == "〒150-0001 東京都渋谷区神宮前1-2-3"
    assert 'data-draft-restore=""' in page, "the browser's older draft does not overwrite the filled address"
    assert "errorlist" not in page, "a lookup is no attempt to send"

    # A 町名・番地 already typed stays as it is, and the page says so.
    again = client.post(FORM, {**typed, "address": "丸の内1-1"}).content.decode()
    assert value_of(again, "address") == "丸の内1-1" and "入力済みの「町名・番地」はそのままにしています" in again
    unknown = client.post(FORM, {**typed, "postal_code": "999-9999"}).content.decode()
    assert "この郵便番号の住所が見つかりませんでした" in unknown and value_of(unknown, "building") == "テスト荘２０１"


def test_full_width_digits_hyphens_and_kana_are_stored_normalised(client, employee):
    typed = {**ADDRESS, "postal_code": "１５０－０００１", "address": "神宮前１－２－３", "building": "ネットマンション　１０１号",
             "address_kana": "とうきょうと ｼﾌﾞﾔｸ ジングウマエ１ー２ー３", "token": new_form_token()}
    assert client.post(FORM, typed).status_code == 302
    change = AddressChange.objects.get()
    assert (change.postal_code, change.address, change.building) == ("150-0001", "神宮前1-2-3", "ネットマンション 101号")
    assert change.address_kana == "トウキョウト シブヤク ジングウマエ1-2-3"
    assert change.summary() == "〒150-0001 東京都渋谷区神宮前1-2-3 ネットマンション 101号"


def test_an_address_kana_in_kanji_is_a_form_error(client, employee):
    response = client.post(FORM, {**ADDRESS, "address_kana": "東京都", "token": new_form_token()})
    assert "住所のフリガナはカタカナで入力してください" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_previous_address_is_the_last_one_sent(client, employee):
    assert value_of(client.get(FORM).content.decode(), "previous_address") == ""
    client.post(FORM, {**ADDRESS, "token": new_form_token()})
    assert value_of(client.get(FORM).content.decode(), "previous_address") == "〒150-0001 東京都渋谷区神宮前1-2-3"
    Submission.objects.update(status=Submission.Status.RETURNED)
    assert value_of(client.get(FORM).content.decode(), "previous_address") == "", "a returned form is not the address"


def test_hr_sees_old_and_new_address_on_the_console(client, employee, admin_a):
    client.post(FORM, {**ADDRESS, "building": "ネットマンション101", "token": new_form_token()})
    submission = Submission.objects.get()
    session_full(client, admin_a)
    page = client.get(f"/admin/reception/submission/{submission.pk}/change/").content.decode()
    assert "変更前 → 変更後" in page
    assert ('<span class="address-before">〒100-0001 東京都千代田区千代田1-1</span><br>→ '
            '<strong class="address-after">〒150-0001 東京都渋谷区神宮前1-2-3 ネットマンション101</strong>') in page
    assert "トウキョウトシブヤクジングウマエ 1-2-3" in page
    assert "AddressChange object" not in page
