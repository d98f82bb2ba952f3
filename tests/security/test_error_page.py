"""A database outage shows a plain Japanese error page: no traceback, no SQL, no settings."""

from unittest import mock

from django.db import OperationalError
from django.test import Client

from tests.helpers import session_full


def test_database_error_gives_the_japanese_error_page(employee_b, settings):
    settings.DEBUG = False
    client = session_full(Client(raise_request_exception=False), employee_b)
    with mock.patch("portal.views.render", side_effect=OperationalError("connection refused: 127.0.0.1")):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "ただいま処理できません" in body
    assert "二重には記録されません" in body
    assert "Traceback" not in body and "127.0.0.1" not in body and "OperationalError" not in body
