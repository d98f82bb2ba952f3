"""Lockouts that a stranger cannot aim (outside test finding 2).

Before: tries already refused by the per-ID + address lock were still
counted, and the per-ID ceiling added them up, so 30 wrong passwords from
one address refused the right password from every other address: 270
requests from one address locked a whole company. Now refused tries never
count, one address contributes at most AXES_FAILURE_LIMIT to the ceiling,
and once the ceiling is reached a browser or an address where the user
completed a login before keeps its own per-address limit.
"""

import http.client
import re
from urllib.parse import urlencode, urlparse

import pytest
from django.conf import settings
from django.test import Client

from accounts.identity import known_browsers, lockout
from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, post_login

STRANGER = "198.51.100.66"
OFFICE = "203.0.113.10"
HOME = "192.0.2.44"


def reaches_code_step(client, login_id, password, ip):
    """The password was taken: the code step (A-ID) or the ログイン選択 (B-ID) follows."""
    html = post_login(client, login_id, password, REMOTE_ADDR=ip).content.decode()
    return 'autocomplete="one-time-code"' in html or 'name="choice-mode"' in html


def hammer(login_id, ip, times):
    client = Client()
    for _ in range(times):
        post_login(client, login_id, "Wrong-password-1", REMOTE_ADDR=ip)
        client.cookies.clear()


def test_one_address_cannot_lock_an_id_for_everyone(employee_a):
    hammer("A1000002", STRANGER, 40)
    assert lockout.failures_across_addresses("A1000002") == settings.AXES_FAILURE_LIMIT
    assert reaches_code_step(Client(), "A1000002", PASSWORD, OFFICE)
    assert not reaches_code_step(Client(), "A1000002", PASSWORD, STRANGER)  # its own address stays locked


def test_one_address_cannot_lock_a_company(employee_a, admin_a, employee_b):
    ids = ["A1000001", "A1000002", "B1000001"]
    for login_id in ids:
        hammer(login_id, STRANGER, 30)  # 90 requests, the finding's 270 scaled to three users
    for login_id in ids:
        assert reaches_code_step(Client(), login_id, PASSWORD, OFFICE), login_id


def test_refused_tries_do_not_extend_the_per_address_lock(employee_a):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.db.models import F

    hammer("A1000002", STRANGER, 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    hammer("A1000002", STRANGER, 20)  # refused: neither counted nor moving the lock's start
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
    assert reaches_code_step(Client(), "A1000002", PASSWORD, STRANGER)


def _spread_over_addresses(login_id):
    """The ceiling reached the only way still possible: many addresses, AXES_FAILURE_LIMIT each."""
    per_address = settings.AXES_FAILURE_LIMIT
    addresses = -(-settings.LOGIN_ID_FAILURE_CEILING // per_address)
    for n in range(addresses):
        hammer(login_id, f"198.51.100.{n + 1}", per_address)
    return addresses


def test_many_addresses_close_the_id_to_strangers_only(employee_a):
    known = Client()
    html = post_login(known, "A1000002", PASSWORD, trust=True, REMOTE_ADDR=HOME).content.decode()  # 「このブラウザを信頼する」
    assert 'autocomplete="one-time-code"' in html
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.helpers import code_for

    known.post("/accounts/login/", {"login_view-current_step": "token",  # a completed login at HOME
                                    "token-otp_token": code_for(TOTPDevice.objects.get(user=employee_a))},
               REMOTE_ADDR=HOME)
    assert known.cookies.get(known_browsers.COOKIE)
    known.post("/accounts/logout/")

    assert _spread_over_addresses("A1000002") == 6
    assert lockout.failures_across_addresses("A1000002") >= settings.LOGIN_ID_FAILURE_CEILING
    # A stranger's browser at a new address: refused, right password or not, same message.
    stranger = Client()
    assert not reaches_code_step(stranger, "A1000002", PASSWORD, "192.0.2.200")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT, user=employee_a,
                                        data__reason=lockout.CEILING).exists()
    # The employee's own browser, even from a new address (a phone on the train).
    assert reaches_code_step(known, "A1000002", PASSWORD, "192.0.2.201")
    # A fresh browser at the address the employee completed a login from (an office PC).
    assert reaches_code_step(Client(), "A1000002", PASSWORD, HOME)


def test_a_forged_known_browser_cookie_does_not_pass(employee_a):
    _spread_over_addresses("A1000002")
    forger = Client()
    forger.cookies[known_browsers.COOKIE] = str(employee_a.pk)
    assert not reaches_code_step(forger, "A1000002", PASSWORD, "192.0.2.202")


# -- the same over real connections from distinct 127.0.0.x source addresses -----

class Browser:
    """A minimal HTTP client bound to one loopback source address, with its own cookies."""

    def __init__(self, base_url, source_ip):
        url = urlparse(base_url)
        self.host, self.port, self.source_ip = url.hostname, url.port, source_ip
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30,
                                                source_address=(self.source_ip, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        html = response.read().decode()
        connection.close()
        return response.status, html

    def login(self, login_id, password):
        _status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, html = self.request("POST", "/accounts/login/", {
            "csrfmiddlewaretoken": token, "login_view-current_step": "auth",
            "auth-username": login_id, "auth-password": password})
        return 'autocomplete="one-time-code"' in html


@pytest.mark.django_db(transaction=True)
def test_real_server_distinct_source_addresses(live_server, acme):
    from tests.helpers import make_user

    make_user("A1000002", acme, device=True)
    attacker = Browser(live_server.url, "127.0.0.66")
    for _ in range(35):
        assert not attacker.login("A1000002", "Wrong-password-1")
    assert not attacker.login("A1000002", PASSWORD)  # its own address is locked
    assert Browser(live_server.url, "127.0.0.10").login("A1000002", PASSWORD)  # the office is not
    # Six addresses of AXES_FAILURE_LIMIT each reach the ceiling: strangers are refused …
    for n in range(6):
        bot = Browser(live_server.url, f"127.0.1.{n + 1}")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            bot.login("A1000002", "Wrong-password-1")
    assert not Browser(live_server.url, "127.0.2.1").login("A1000002", PASSWORD)
    refused = set(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT, data__reason=lockout.CEILING)
                  .values_list("ip_address", flat=True))
    assert "127.0.2.1" in refused and "127.0.0.10" not in refused
