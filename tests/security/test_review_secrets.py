"""Review findings: codes never reach an error report."""

import pytest
from django.views.debug import SafeExceptionReporterFilter

from tests.helpers import session_password_only


@pytest.mark.parametrize("code", ["123456"])
def test_setup_code_is_hidden_from_error_reports(client, fresh_a, code):
    """The setup POST carries a code of the new secret; a 500 report must not show it."""
    session_password_only(client, fresh_a)
    client.get("/accounts/setup/")
    response = client.post("/accounts/setup/", {"setup_view-current_step": "generator", "generator-token": code})
    request = response.wsgi_request
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed.get("generator-token") != code
