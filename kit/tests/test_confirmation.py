"""入力 → 確認 → 完了 for 届出申請 and 各種届出, with the once-per-form guarantee kept."""

import re

import pytest

from attendance.models import AttendanceRequest
from reception.models import Submission
from tests.helpers import session_full

REQUEST = {"kind": "leave", "leave_type": "paid", "start_date": "2026-12-28", "end_date": "2026-12-30", "reason": "年末の帰省\n実家にて"}
BANK = {"bank_code": "0001", "bank_name": "みずほ銀行", "branch_code": "001", "branch_name": "東京営業部",
        "account_type": "ordinary", "account_number": "1234567", "holder_kana": "サトウ イチロウ"}


def token_of(html):
    return re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)


def hidden_values(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


@pytest.mark.parametrize("url, data, model", [
    ("/attendance/requests/new/", REQUEST, AttendanceRequest),
    ("/reception/new/bank/", BANK, Submission),
])
def test_input_confirm_done(client, employee_a, url, data, model):
    session_full(client, employee_a)
    form_html = client.get(url).content.decode()
    assert 'aria-current="step"><span class="step-num" aria-hidden="true">1</span>入力' in form_html
    token = token_of(form_html)

    confirm = client.post(url, {**data, "token": token, "step": "confirm"})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and model.objects.count() == 0
    assert "以下の内容で送信します。" in html and "送信する" in html and "修正する" in html
    assert 'aria-current="step"><span class="step-num" aria-hidden="true">2</span>確認' in html
    carried = hidden_values(html)
    assert carried["token"] == token

    edit = client.post(url, {**carried, "step": "edit"}).content.decode()
    assert model.objects.count() == 0 and "確認画面へ進む" in edit and token_of(edit) == token

    sent = client.post(url, carried)
    assert sent.status_code == 302 and model.objects.count() == 1
    done = client.get(sent["Location"]).content.decode()
    assert 'aria-current="step"><span class="step-num" aria-hidden="true">3</span>完了' in done
    again = client.post(url, carried)  # 送信する twice: still one
    assert again.status_code == 302 and model.objects.count() == 1


def test_confirmation_shows_what_was_typed(client, employee_a):
    session_full(client, employee_a)
    token = token_of(client.get("/attendance/requests/new/").content.decode())
    html = client.post("/attendance/requests/new/", {**REQUEST, "token": token, "step": "confirm"}).content.decode()
    assert "<dd>休暇</dd>" in html and "年末の帰省<br>実家にて" in html
    assert "2026年12月28日" in html


def test_an_invalid_form_stays_on_the_input(client, employee_a):
    session_full(client, employee_a)
    token = token_of(client.get("/reception/new/bank/").content.decode())
    html = client.post("/reception/new/bank/", {**BANK, "bank_code": "", "token": token,
                                                "step": "confirm"}).content.decode()
    assert "確認画面へ進む" in html and "以下の内容で送信します。" not in html
