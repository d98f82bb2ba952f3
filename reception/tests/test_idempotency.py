"""ネット de 受付: a double click or a resent form sends one 届出 (and one mail).

Each rendering of a form carries a one-time token; the database keeps
(user, token) unique, so the same form sent again lands on the submission it
already made, mails nothing, and two copies arriving at once make one row.
"""

import re

import pytest
from django.test import Client

from kit.form_tokens import new_form_token
from reception.models import AddressChange, Submission
from reception.services import submission_create
from tests.helpers import session_full
from tests.parallel import post_together
from reception.tests.test_forms import ADDRESS, BANK, DEPENDANT

TOKEN = re.compile(r'name="token" value="([0-9a-f]{32})"')
STALE = "送信内容を確認できませんでした。入力内容を確かめて、もう一度送信してください。"
FORMS = [("address", ADDRESS), ("dependant", DEPENDANT), ("bank", BANK)]


def token_on(page: str) -> str:
    return TOKEN.search(page).group(1)


@pytest.fixture
def employee(client, employee_b):
    session_full(client, employee_b)
    return employee_b


@pytest.mark.parametrize("kind, data", FORMS)
def test_the_same_form_sent_twice_makes_one_submission(client, employee, kind, data):
    url = f"/reception/new/{kind}/"
    first, second = (token_on(client.get(url).content.decode()) for _ in range(2))
    assert first != second, "every rendering has its own token"
    sent = {**data, "token": first}
    client.post(url, sent, follow=True)
    submission = Submission.objects.get(user=employee)
    again = client.post(url, sent, follow=True)
    assert Submission.objects.filter(user=employee).count() == 1
    assert submission.detail is not None
    assert again.redirect_chain[-1][0] == f"/reception/{submission.pk}/"
    page = again.content.decode()
    assert "この内容は既に送信されています。" in page and "を提出しました" not in page


def test_a_resent_bank_change_mails_once(client, employee, mailoutbox, django_capture_on_commit_callbacks):
    sent = {**BANK, "token": new_form_token()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reception/new/bank/", sent)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post("/reception/new/bank/", sent)
    assert Submission.objects.filter(user=employee).count() == 1
    assert callbacks == [] and len(mailoutbox) == 1


@pytest.mark.parametrize("token", [None, "", "xyz", "Z" * 32, "0" * 31, "' OR 1=1 --" * 3])
def test_a_missing_or_forged_token_is_a_form_error_and_the_form_can_be_sent_again(client, employee, token):
    sent = {**ADDRESS, "token": token}
    if token is None:
        del sent["token"]
    response = client.post("/reception/new/address/", sent)
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page and ADDRESS["address"] in page and ADDRESS["previous_address"] in page
    assert not Submission.objects.exists()
    assert client.post("/reception/new/address/", {**sent, "token": token_on(page)}).status_code == 302
    assert Submission.objects.filter(user=employee).count() == 1


def test_another_users_token_does_not_collide(client, employee, employee_a):
    token = new_form_token()
    theirs, created = submission_create(user=employee_a, kind=Submission.Kind.ADDRESS, token=token,
                                        detail=AddressChange(postal_code="100-0001", address="東京都千代田区千代田1-1",
                                                             moved_on="2026-04-01"))
    assert created
    response = client.post("/reception/new/address/", {**ADDRESS, "token": token})
    mine = Submission.objects.get(user=employee)
    assert response.url == f"/reception/{mine.pk}/" and mine.pk != theirs.pk


def test_the_form_and_its_submission_take_few_queries(client, employee, django_assert_max_num_queries):
    client.get("/reception/new/bank/")
    with django_assert_max_num_queries(4):  # session, user, device, licences: the token costs none
        page = client.get("/reception/new/bank/").content.decode()
    sent = {**BANK, "token": token_on(page)}
    with django_assert_max_num_queries(11):
        client.post("/reception/new/bank/", sent)
    with django_assert_max_num_queries(11):
        client.post("/reception/new/bank/", sent)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_makes_one_submission_and_one_mail(on_postgres, employee_b, mailoutbox):
    clients = [session_full(Client(), employee_b) for _ in range(4)]
    for round_ in range(3):  # several rounds: the race must be lost every time
        Submission.objects.filter(user=employee_b).delete()
        locations = post_together(clients, "/reception/new/bank/", {**BANK, "token": new_form_token()})
        submission = Submission.objects.get(user=employee_b)
        assert submission.bank_change.account_number == "1234567"
        assert locations == [f"/reception/{submission.pk}/"] * 4
        assert len(mailoutbox) == round_ + 1
