"""社外からのアクセス制限 (office IP restriction) per company: accounts.sessions.office_ip."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.audit import events
from accounts.sessions import office_ip
from accounts.login.forms import INVALID_LOGIN, OUTSIDE_OFFICE
from accounts.models import SecurityEvent, TenantAccessRule
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


# --- The console -------------------------------------------------------------------------------------

def url_for(tenant):
    return f"/admin/accounts/tenant/{tenant.pk}/ip-restriction/"


def console_at(ip, user):
    client = client_at(ip)
    helpers.session_full(client, user)
    return client


def post_rule(client, tenant, lines, *, enabled=True, limited_anywhere=False):
    data = {"allowed_networks": "\n".join(lines)}
    if enabled:
        data["enabled"] = "on"
    if limited_anywhere:
        data["limited_anywhere"] = "on"
    return client.post(url_for(tenant), data)


def test_the_front_page_links_the_setting(acme, admin_a):
    client = console_at(OFFICE, admin_a)
    html = page(client.get("/admin/"))
    assert url_for(acme) in html and "制限なし（どこからでも利用できます）" in html
    restrict(acme, ["192.0.2.0/24", "2001:db8::/48"], limited_anywhere=True)
    html = page(client.get("/admin/"))
    assert "制限あり（許可するアドレス 2 件）・就業打刻・明細閲覧は社外からも可" in html


def test_the_administrator_saves_the_setting_and_it_is_a_security_event(acme, admin_a):
    client = console_at(OFFICE, admin_a)
    form = client.get(url_for(acme))
    assert form.status_code == 200 and f"現在お使いのアドレス: <strong>{OFFICE}</strong>" in page(form)
    response = post_rule(client, acme, [OFFICE_NET, "2001:db8::/48"], limited_anywhere=True)
    assert response.status_code == 302
    rule = TenantAccessRule.objects.get(tenant=acme)
    assert (rule.enabled, rule.network_lines, rule.limited_anywhere) == (True, [OFFICE_NET, "2001:db8::/48"], True)
    assert rule.updated_by == admin_a
    event = SecurityEvent.objects.get(kind=events.Kind.OFFICE_IP_CHANGED)
    assert (event.tenant_id, event.actor_id) == (acme.pk, admin_a.pk)
    assert event.data == {"enabled": True, "networks": 2, "limited_anywhere": True, "actor_login_id": admin_a.login_id}
    log = page(client.get(f"/admin/accounts/securityevent/{event.pk}/change/"))
    assert "社外からのアクセス制限を有効（許可するアドレス 2 件）・就業打刻・明細閲覧は社外からも可" in log
    post_rule(client, acme, [OFFICE_NET, "2001:db8::/48"], limited_anywhere=True)  # unchanged: no event
    assert SecurityEvent.objects.filter(kind=events.Kind.OFFICE_IP_CHANGED).count() == 1
    post_rule(client, acme, [OFFICE_NET], enabled=False)
    assert SecurityEvent.objects.filter(kind=events.Kind.OFFICE_IP_CHANGED).first().data["enabled"] is False
    assert TenantAccessRule.objects.get(tenant=acme).enabled is False


def test_the_administrator_cannot_lock_out_their_own_address(acme, admin_a):
    client = console_at(HOME, admin_a)
    response = post_rule(client, acme, [OFFICE_NET])
    assert response.status_code == 200
    assert f"現在お使いのアドレス（{HOME}）が含まれていません" in page(response)
    assert not TenantAccessRule.objects.filter(tenant=acme, enabled=True).exists()
    assert not SecurityEvent.objects.filter(kind=events.Kind.OFFICE_IP_CHANGED).exists()
    assert post_rule(client, acme, [OFFICE_NET, "198.51.100.0/24"]).status_code == 302
    assert client.get(url_for(acme)).status_code == 200  # still reachable from where it was saved


def test_bad_lines_are_named_and_nothing_is_saved(acme, admin_a):
    client = console_at(OFFICE, admin_a)
    html = page(post_rule(client, acme, [OFFICE_NET, "192.0.2.5/24", "abc"]))
    assert "2 行目: 「192.0.2.5/24」は範囲の先頭のアドレスではありません" in html
    assert "3 行目: 「abc」はIPアドレスまたは範囲（CIDR）として読めません" in html
    html = page(post_rule(client, acme, []))
    assert "許可するIPアドレスを1件以上入力してください" in html
    assert not TenantAccessRule.objects.filter(tenant=acme).exists()


def test_only_the_own_company_and_operators_for_any(acme, other_tenant, admin_a, employee_a, operator):
    client = console_at(OFFICE, admin_a)
    assert client.get(url_for(other_tenant)).status_code == 404
    assert post_rule(client, other_tenant, [OFFICE_NET]).status_code == 404
    assert not TenantAccessRule.objects.exists()
    employee = console_at(OFFICE, employee_a)
    assert employee.get(url_for(acme)).status_code == 403  # not staff: the console refuses them
    helpers.add_device(operator)
    op = console_at(HOME, operator)
    assert op.get(url_for(other_tenant)).status_code == 200
    assert post_rule(op, other_tenant, [OFFICE_NET]).status_code == 302  # no lock-out: operators are not restricted
    event = SecurityEvent.objects.get(kind=events.Kind.OFFICE_IP_CHANGED)
    assert (event.tenant_id, event.actor_id) == (other_tenant.pk, operator.pk)
    assert "社外からのアクセス制限" in page(op.get(f"/admin/accounts/tenant/{other_tenant.pk}/change/"))


def test_console_pages_in_english(acme, admin_a):
    client = console_at(OFFICE, admin_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = page(client.get(url_for(acme)))
    assert "Restrict access from outside the office" in html and "社外" not in html


# --- The command ------------------------------------------------------------------------------------------

def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("tenant_ip_restriction", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), f"CommandError: {error}\n"
    return 0, out.getvalue(), err.getvalue()


def test_command_sets_and_prints_the_setting(acme):
    status, out, _ = run("acme", "--allow", OFFICE_NET, "--allow", "2001:db8::/48", "--allow-limited-anywhere")
    assert status == 0
    assert "acme 社外からのアクセス制限: あり（2 件）" in out and "2001:db8::/48" in out and ": はい" in out
    rule = TenantAccessRule.objects.get(tenant=acme)
    assert (rule.enabled, rule.network_lines, rule.limited_anywhere) == (True, [OFFICE_NET, "2001:db8::/48"], True)
    event = SecurityEvent.objects.get(kind=events.Kind.OFFICE_IP_CHANGED)
    assert event.tenant_id == acme.pk and event.actor_id is None
    status, out, _ = run("acme", "--off")
    assert status == 0 and out.strip() == "acme 社外からのアクセス制限: なし"
    rule.refresh_from_db()
    assert rule.enabled is False and rule.network_lines == [OFFICE_NET, "2001:db8::/48"]


@pytest.mark.parametrize("args", [
    ("acme",), ("acme", "--off", "--allow", OFFICE_NET), ("acme", "--allow", "192.0.2.5/24"),
    ("acme", "--allow", "nonsense"), ("nosuch", "--allow", OFFICE_NET), ("acme", "--allow", "0.0.0.0/0"),
    ("acme", "--allow", "192.0.2.\x00"),
])
def test_command_bad_arguments_are_one_japanese_line(acme, args):
    status, _out, err = run(*args)
    assert status != 0 and err.strip() and "\n" not in err.strip() and "Traceback" not in err
    assert not TenantAccessRule.objects.exists()
