"""Review findings: codes never reach an error report; the current password cannot be guessed on the password change."""

import pytest
from django.views.debug import SafeExceptionReporterFilter

from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, session_full, session_password_only


@pytest.mark.parametrize("code", ["123456"])
def test_setup_code_is_hidden_from_error_reports(client, fresh_a, code):
    """The setup POST carries a code of the new secret; a 500 report must not show it."""
    session_password_only(client, fresh_a)
    client.get("/accounts/setup/")
    response = client.post("/accounts/setup/", {"setup_view-current_step": "generator", "generator-token": code})
    request = response.wsgi_request
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed.get("generator-token") != code


def test_wrong_current_passwords_on_the_password_change_are_limited(client, employee_a, settings):
    session_full(client, employee_a)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/password/", {"old_password": f"Guess-{attempt}-xyz",
                                            "new_password1": "Brand-new-Passw0rd-77",
                                            "new_password2": "Brand-new-Passw0rd-77"})
    assert SecurityEvent.objects.filter(user=employee_a).exclude(
        kind=SecurityEvent.Kind.LOGIN_SUCCESS).exists()  # the guesses are in the security log
    response = client.post("/accounts/password/", {"old_password": PASSWORD,
                                                   "new_password1": "Brand-new-Passw0rd-77",
                                                   "new_password2": "Brand-new-Passw0rd-77"})
    employee_a.refresh_from_db()
    assert not employee_a.check_password("Brand-new-Passw0rd-77"), "the right guess still worked"
    assert response.status_code == 200
    assert "しばらくの間この操作はできません" in response.content.decode()


def test_a_wrong_current_password_is_recorded_without_the_password(client, employee_a):
    session_full(client, employee_a)
    client.post("/accounts/password/", {"old_password": "Typed-Secret-123", "new_password1": "Brand-new-Passw0rd-77",
                                        "new_password2": "Brand-new-Passw0rd-77"})
    event = SecurityEvent.objects.get(user=employee_a, kind=SecurityEvent.Kind.LOGIN_FAILURE)
    assert "Typed-Secret-123" not in str(event.__dict__)
    assert event.tenant_id == employee_a.tenant_id  # in the company's security log
