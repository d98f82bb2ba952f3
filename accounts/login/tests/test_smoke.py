"""The A-ID login path end to end through the real wizard."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import code_for, post_code, post_login


def test_a_id_logs_in_with_password_and_code(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    response = post_login(client, "a1000002")
    assert response.status_code == 200
    assert 'autocomplete="one-time-code"' in response.content.decode()
    response = post_code(client, code_for(device))
    assert response.status_code == 302
    assert client.get("/").status_code == 200
