"""社外からのアクセス制限 as the company administrator sets it: the console page
and the ``tenant_ip_restriction`` command (the rule itself:
accounts/sessions/tests/test_office_ip.py)."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.audit import events
from accounts.models import SecurityEvent, TenantAccessRule
from accounts.sessions.tests.test_office_ip import HOME, OFFICE, OFFICE_NET, client_at, page, restrict
from tests import helpers

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
