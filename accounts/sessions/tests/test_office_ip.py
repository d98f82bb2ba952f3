"""社外からのアクセス制限 (office IP restriction) per company: accounts.sessions.office_ip."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.audit import events
from accounts.sessions import office_ip
from accounts.login.forms import INVALID_LOGIN, OUTSIDE_OFFICE
from accounts.models import SecurityEvent
from tests import helpers

OFFICE = "192.0.2.10"  # inside 192.0.2.0/24
HOME = "198.51.100.7"  # outside
OFFICE_NET = "192.0.2.0/24"
REFUSED_TITLE = "社外からのアクセスは会社の設定により制限されています"
LIMITED_URL = "/attendance/"  # 打刻: a limited feature
FULL_URL = "/accounts/sessions/"  # ログイン中の端末: needs the code


def restrict(tenant, networks=(OFFICE_NET,), *, limited_anywhere=False, enabled=True):
    return office_ip.access_rule_set(tenant=tenant, enabled=enabled, networks=list(networks),
                                     limited_anywhere=limited_anywhere)


def client_at(ip, **extra):
    return Client(REMOTE_ADDR=ip, **extra)


def refused_events(user=None):
    events_ = SecurityEvent.objects.filter(kind=events.Kind.OFFICE_IP_REFUSED)
    return events_.filter(user=user) if user is not None else events_


def page(response):
    return response.content.decode()


def password_accepted(response) -> bool:
    """The password step passed: the code step (A-IDs) or the choice (B-IDs) is shown."""
    html = page(response)
    return response.status_code == 200 and ('name="token-otp_token"' in html or 'name="choice-mode"' in html)


# --- Parsing the list --------------------------------------------------------------

def test_addresses_and_ranges_are_normalised_and_deduplicated():
    networks, errors = office_ip.parse_networks(
        ["192.0.2.10", " 192.0.2.0/24 ", "", "2001:DB8::/48", "2001:db8::1", "192.0.2.10/32", "::ffff:0:0/96"])
    assert errors == []
    assert networks == ["192.0.2.10", "192.0.2.0/24", "2001:db8::/48", "2001:db8::1", "::ffff:0:0/96"]


@pytest.mark.parametrize("value, words", [
    ("192.0.2.300", "IPアドレスまたは範囲（CIDR）として読めません"),
    ("office", "IPアドレスまたは範囲（CIDR）として読めません"),
    ("192.0.2.0/33", "IPアドレスまたは範囲（CIDR）として読めません"),
    ("192.0.2.5/24", "範囲なら 192.0.2.0/24 と入力してください"),
    ("2001:db8::1/48", "範囲なら 2001:db8::/48 と入力してください"),
    ("0.0.0.0/0", "すべてのアドレスを含むため指定できません"),
    ("::/0", "すべてのアドレスを含むため指定できません"),
])
def test_a_bad_line_is_named_in_japanese(value, words):
    _networks, errors = office_ip.parse_networks(["192.0.2.1", "", value])
    assert len(errors) == 1 and errors[0][0] == 3 and words in errors[0][1]


def test_at_most_100_entries():
    lines = [f"10.0.{i // 250}.{i % 250}" for i in range(101)]
    assert office_ip.parse_networks(lines[:100])[1] == []
    errors = office_ip.parse_networks(lines)[1]
    assert errors == [(0, "登録できるのは 100 件までです（101 件あります）。")]


@pytest.mark.parametrize("ip, inside", [
    ("192.0.2.1", True), ("192.0.2.255", True), ("192.0.3.1", False), ("::ffff:192.0.2.9", True),
    ("2001:db8:0:1::5", True), ("2001:db9::1", False), ("fe80::1%eth0", False), ("", False), ("junk", False),
])
def test_client_addresses_inside_and_outside(ip, inside):
    networks = [office_ip.ipaddress.ip_network(n) for n in (OFFICE_NET, "2001:db8::/48")]
    assert office_ip.contains(networks, ip) is inside


# --- Login -----------------------------------------------------------------------------

def test_off_or_without_a_rule_everyone_logs_in_from_anywhere(acme, employee_a):
    assert password_accepted(helpers.post_login(client_at(HOME), employee_a.login_id))
    restrict(acme, enabled=False)
    assert password_accepted(helpers.post_login(client_at(HOME), employee_a.login_id))


def test_login_from_the_office_works_and_from_outside_is_refused_after_the_password(acme, employee_a):
    restrict(acme)
    client = client_at(OFFICE)
    assert helpers.login_full_via_wizard(client, employee_a, employee_a.totpdevice_set.get()).status_code == 302
    assert client.get("/").status_code == 200

    outside = client_at(HOME)
    response = helpers.post_login(outside, employee_a.login_id)
    assert response.status_code == 200 and str(OUTSIDE_OFFICE) in page(response)
    assert "_auth_user_id" not in outside.session
    event = refused_events(employee_a).get()
    assert event.data == {"where": office_ip.LOGIN} and event.ip_address == HOME and event.tenant_id == acme.pk


def test_a_wrong_password_from_outside_does_not_reveal_the_restriction(acme, employee_a):
    restrict(acme)
    response = helpers.post_login(client_at(HOME), employee_a.login_id, "wrong-password")
    assert str(INVALID_LOGIN) in page(response) and str(OUTSIDE_OFFICE) not in page(response)
    unknown = helpers.post_login(client_at(HOME), "A7777777", "wrong-password")
    assert str(INVALID_LOGIN) in page(unknown)
    assert not refused_events().exists()


def test_ipv6_office_range(acme, employee_a):
    restrict(acme, ["2001:db8:10::/48"])
    assert password_accepted(helpers.post_login(client_at("2001:db8:10:4::20"), employee_a.login_id))
    response = helpers.post_login(client_at("2001:db8:11::20"), employee_a.login_id)
    assert str(OUTSIDE_OFFICE) in page(response)


def test_limited_mode_exception_offers_only_the_limited_mode_outside(acme, employee_b):
    restrict(acme, limited_anywhere=True)
    client = client_at(HOME)
    choice = helpers.post_login(client, employee_b.login_id)
    assert choice.status_code == 200
    html = page(choice)
    assert 'value="limited"' in html and 'value="full"' not in html and "社外からは就業打刻・明細閲覧のみ利用できます" in html
    refused = helpers.post_choice(client, "full")
    assert "だけを選べます" in page(refused) and "_auth_user_id" not in client.session
    assert helpers.post_choice(client, "limited").status_code == 302
    assert client.get("/").status_code == 200
    assert client.get(LIMITED_URL).status_code == 200
    full = client.get(FULL_URL)  # the step-up is not offered outside: the page says why
    assert full.status_code == 403 and REFUSED_TITLE in page(full) and "ポータルへ戻る" in page(full)


def test_the_exception_is_for_b_ids_only(acme, employee_a):
    restrict(acme, limited_anywhere=True)
    response = helpers.post_login(client_at(HOME), employee_a.login_id)
    assert str(OUTSIDE_OFFICE) in page(response)


def test_b_id_in_the_office_still_chooses_freely(acme, employee_b):
    restrict(acme, limited_anywhere=True)
    html = page(helpers.post_login(client_at(OFFICE), employee_b.login_id))
    assert 'value="full"' in html and 'value="limited"' in html


# --- Open sessions ------------------------------------------------------------------------

def test_open_sessions_are_refused_on_their_next_request_and_recorded_once(acme, employee_a):
    client = client_at(OFFICE)
    helpers.session_full(client, employee_a)
    assert client.get("/").status_code == 200
    restrict(acme)
    assert client.get("/").status_code == 200  # still in the office
    client.defaults["REMOTE_ADDR"] = HOME
    for url in ("/", FULL_URL, "/admin/", LIMITED_URL):
        response = client.get(url)
        assert response.status_code == 403, url
        html = page(response)
        assert REFUSED_TITLE in html and HOME in html and "ログアウトしてログイン画面へ" in html
        assert 'class="site-header"' in html  # the site's layout
    assert refused_events(employee_a).get().data == {"where": office_ip.SESSION}
    assert client.get("/accounts/login/").status_code == 200  # public pages stay open: the way on
    assert client.get("/help/").status_code == 200
    client.defaults["REMOTE_ADDR"] = OFFICE  # back in the office: the same session works
    assert client.get("/").status_code == 200
    client.defaults["REMOTE_ADDR"] = HOME
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert refused_events(employee_a).count() == 1


def test_limited_sessions_outside_need_the_exception(acme, employee_b):
    client = client_at(HOME)
    helpers.session_limited(client, employee_b)
    restrict(acme)
    assert client.get(LIMITED_URL).status_code == 403
    restrict(acme, limited_anywhere=True)
    assert client.get(LIMITED_URL).status_code == 200
    assert client.get("/").status_code == 200


def test_a_limited_session_outside_can_extend_its_login_but_not_open_a_full_page(acme, employee_b):
    client = client_at(HOME)
    helpers.session_limited(client, employee_b)
    restrict(acme, limited_anywhere=True)
    response = client.post("/accounts/session/extend/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["seconds_left"] > 0  # 「ログインを延長」 works
    assert client.get(FULL_URL).status_code in (302, 403)  # the code step first, never the page
    assert REFUSED_TITLE not in page(client.get(LIMITED_URL))


def test_a_full_mode_session_outside_is_refused_even_with_the_exception(acme, employee_b):
    client = client_at(HOME)
    helpers.session_full(client, employee_b)
    restrict(acme, limited_anywhere=True)
    response = client.get(LIMITED_URL)
    assert response.status_code == 403
    assert "ログインし直して「就業打刻・明細閲覧のみ利用する」を選ぶと" in page(response)


def test_operators_are_never_restricted(acme, other_tenant, operator):
    helpers.add_device(operator)
    restrict(acme)
    restrict(other_tenant)
    client = client_at(HOME)
    helpers.session_full(client, operator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


def test_another_company_is_unaffected(acme, other_user):
    restrict(acme)
    client = client_at(HOME)
    helpers.session_full(client, other_user)
    assert client.get("/").status_code == 200
    assert password_accepted(helpers.post_login(client_at(HOME), other_user.login_id))
    assert not refused_events().exists()


# --- The client address: one place decides it ------------------------------------------------

def test_a_forged_x_forwarded_for_is_ignored_without_a_trusted_proxy(acme, employee_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    restrict(acme)
    forged = client_at(HOME, HTTP_X_FORWARDED_FOR=OFFICE)
    assert str(OUTSIDE_OFFICE) in page(helpers.post_login(forged, employee_a.login_id))
    helpers.session_full(forged, employee_a)
    assert forged.get("/").status_code == 403


def test_x_forwarded_for_is_honoured_behind_a_trusted_proxy(acme, employee_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    restrict(acme)
    proxy = "10.0.0.2"
    via_proxy = client_at(proxy, HTTP_X_FORWARDED_FOR=OFFICE)
    assert password_accepted(helpers.post_login(via_proxy, employee_a.login_id))
    # The client wrote the first entry itself; the proxy appended the real address.
    forged = client_at(proxy, HTTP_X_FORWARDED_FOR=f"{OFFICE}, {HOME}")
    assert str(OUTSIDE_OFFICE) in page(helpers.post_login(forged, employee_a.login_id))


# --- Query cost ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", ["none", "off", "on"])
def test_the_check_costs_no_query_of_its_own(acme, employee_b, django_assert_max_num_queries, rule):
    if rule != "none":
        restrict(acme, enabled=rule == "on")
    client = client_at(OFFICE)
    helpers.session_full(client, employee_b)
    client.get("/")  # the session's first request writes its activity
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries if "accounts_tenantaccessrule" in q["sql"]
                and "accounts_user" not in q["sql"]], "the rule is loaded with the user"
    with django_assert_max_num_queries(4):  # session, user (+ company and its rule), device, licences
        assert client.get("/").status_code == 200


def test_the_refusal_costs_little(acme, employee_b, django_assert_max_num_queries):
    restrict(acme)
    client = client_at(HOME)
    helpers.session_full(client, employee_b)
    client.get("/")
    with django_assert_max_num_queries(3):  # session, user, device: the event is already recorded
        assert client.get("/").status_code == 403
