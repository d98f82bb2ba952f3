"""X-Forwarded-For cannot reset or dodge the password counters, nor fake the logged IP."""

import pytest
from axes.models import AccessAttempt

from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, post_login


def spoofed(i):
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{i}", "REMOTE_ADDR": "198.51.100.7"}


def test_direct_client_spoofing_forwarded_for_meets_the_same_lockout(client, employee_b, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # talking to the app directly (the default)
    for i in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "B1000001", "wrong-password", **spoofed(i))
    attempts = AccessAttempt.objects.filter(username="B1000001")
    assert list(attempts.values_list("ip_address", flat=True)) == ["198.51.100.7"]
    assert attempts.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    # A new forged address does not open a fresh counter: the right password is refused.
    post_login(client, "B1000001", PASSWORD, **spoofed(99))
    assert client.session.get("_auth_user_id") is None
    ips = set(SecurityEvent.objects.filter(login_id="B1000001").values_list("ip_address", flat=True))
    assert ips == {"198.51.100.7"}


def test_behind_one_proxy_only_the_proxy_added_address_counts(client, employee_b, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT):
        # The client forges the left part; the proxy appends the real address last.
        post_login(client, "B1000001", "wrong-password",
                   HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 192.0.2.{i}, 198.51.100.20",
                   REMOTE_ADDR="127.0.0.1")
    attempts = AccessAttempt.objects.filter(username="B1000001")
    assert list(attempts.values_list("ip_address", flat=True)) == ["198.51.100.20"]
    post_login(client, "B1000001", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20",
               REMOTE_ADDR="127.0.0.1")
    assert client.session.get("_auth_user_id") is None
    ips = set(SecurityEvent.objects.filter(login_id="B1000001").values_list("ip_address", flat=True))
    assert ips == {"198.51.100.20"}


@pytest.mark.parametrize("header", ["", "garbage", "999.999.999.999", "\u3000", "1.2.3.4," * 200])
def test_malformed_forwarded_for_is_harmless(client, employee_b, settings, header):
    settings.TRUSTED_PROXY_COUNT = 0
    response = post_login(client, "B1000001", "wrong-password", HTTP_X_FORWARDED_FOR=header)
    assert response.status_code == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
