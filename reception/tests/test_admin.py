"""Company administrators process their own company's forms: 受理 / 差戻し / 完了."""

import pytest

from reception.models import AddressChange, Submission
from tests.helpers import session_full
from reception.tests.factories import make_address_change

CHANGELIST = "/admin/reception/submission/"


def act(client, action, *submissions):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [s.pk for s in submissions]},
                       follow=True)


@pytest.fixture
def submission(employee_b):
    return make_address_change(employee_b)


def test_changelist_shows_own_company_only(client, admin_a, submission, other_user):
    make_address_change(other_user)
    session_full(client, admin_a)
    page = client.get(CHANGELIST).content.decode()
    assert "B1000001" in page and "住所変更" in page and "〒100-0001" in page
    assert other_user.login_id not in page


def test_change_page_shows_the_form_read_only(client, admin_a, submission):
    session_full(client, admin_a)
    page = client.get(f"{CHANGELIST}{submission.pk}/change/").content.decode()
    assert "100-0001" in page and "東京都千代田区千代田1-1" in page
    assert 'name="address_change-0-postal_code"' not in page, "the employee's data is not editable"


def test_accept_then_complete(client, admin_a, submission):
    session_full(client, admin_a)
    assert "1 件を「受理」にしました。" in act(client, "mark_accepted", submission).content.decode()
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.processed_by == admin_a
    act(client, "mark_completed", submission)
    submission.refresh_from_db()
    assert submission.status == "completed"


def test_completed_cannot_be_returned(client, admin_a, submission):
    session_full(client, admin_a)
    act(client, "mark_completed", submission)
    page = act(client, "mark_returned", submission).content.decode()
    assert "1 件は現在の状況から「差戻し」にできないため、変更していません。" in page
    submission.refresh_from_db()
    assert submission.status == "completed"


def test_return_with_comment_shows_to_employee(client, admin_a, employee_b, submission):
    session_full(client, admin_a)
    # The comment of a 差戻し is typed on the detail page; the employee's data is not editable there.
    response = client.post(f"{CHANGELIST}{submission.pk}/change/", {
        "_decision": "returned", "_decision_seen": "submitted", "_decision_comment": "部屋番号が抜けています。",
        "address_change-TOTAL_FORMS": "1", "address_change-INITIAL_FORMS": "1",
        "address_change-MIN_NUM_FORMS": "0", "address_change-MAX_NUM_FORMS": "1",
        "address_change-0-submission": str(submission.pk),
        # An attempt to change the employee's data is ignored: the inline is read-only.
        "address_change-0-postal_code": "999-9999",
    })
    assert response.status_code == 302
    assert AddressChange.objects.get().postal_code == "100-0001"
    session_full(client, employee_b)
    page = client.get(f"/reception/{submission.pk}/").content.decode()
    assert "差戻し" in page and "部屋番号が抜けています。" in page


def test_other_company_admin_gets_404_and_changes_nothing(client, other_admin, submission):
    session_full(client, other_admin)
    assert client.get(f"{CHANGELIST}{submission.pk}/change/").status_code == 404
    assert client.post(f"{CHANGELIST}{submission.pk}/change/", {"admin_comment": "x"}).status_code == 404
    act(client, "mark_completed", submission)
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.admin_comment == ""


def test_admin_cannot_add_or_delete_submissions(client, admin_a, submission):
    session_full(client, admin_a)
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}{submission.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_employee_cannot_use_the_admin(client, employee_b, submission):
    session_full(client, employee_b)
    response = client.get(f"{CHANGELIST}{submission.pk}/change/")
    assert response.status_code in (302, 403, 404)
    assert "千代田" not in response.content.decode()


def test_changelist_query_count_is_constant(client, admin_a, employee_b, employee_a,
                                            django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_address_change(employee_b)
    session_full(client, admin_a)
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as one:
        client.get(CHANGELIST)
    for _ in range(6):
        make_address_change(employee_b)
        make_address_change(employee_a)
    with django_assert_max_num_queries(len(one)):
        page = client.get(CHANGELIST).content.decode()
    assert page.count('name="_selected_action"') == 13


def test_demo_seed_leaves_a_pending_form(acme, admin_a, employee_b):
    from reception.demo import seed

    seed(tenant=acme, users=[admin_a, employee_b])
    seed(tenant=acme, users=[admin_a, employee_b])
    assert list(Submission.objects.values_list("user__login_id", "status")) == [("B1000001", "submitted")]


def test_administrator_cannot_process_their_own_form(client, admin_a, submission):
    """The same rule as 届出申請: nobody decides their own request."""
    from accounts.models import SecurityEvent

    own = make_address_change(admin_a)
    done = make_address_change(submission.user)
    Submission.objects.filter(pk=done.pk).update(status=Submission.Status.COMPLETED)  # by another, meanwhile
    session_full(client, admin_a)
    page = act(client, "mark_accepted", own, submission, done).content.decode()
    assert "1 件を「受理」にしました。" in page and "1 件はご自身の届出のため変更していません。" in page
    assert "1 件は現在の状況から「受理」にできないため、変更していません。" in page
    own.refresh_from_db(), submission.refresh_from_db(), done.refresh_from_db()
    assert (own.status, submission.status, done.status) == ("submitted", "accepted", "completed")
    # The list's action goes through the same service as the detail page: only the real decision audited.
    decided = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DECIDED)
    assert [(e.user, e.actor, e.data["outcome"]) for e in decided] == [(submission.user, admin_a, "accepted")]


def test_service_refuses_the_sender_as_processor(admin_a, operator):
    from accounts.audit.duties import OwnRequest
    from reception.services import submission_process

    own = make_address_change(admin_a)
    with pytest.raises(OwnRequest):
        submission_process(submission=own, status="accepted", actor=admin_a)
    own.refresh_from_db()
    assert own.status == "submitted"
