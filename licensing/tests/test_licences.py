"""ライセンス管理: new tenants, the licence command, the admin, and 404 for unused products."""

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections
from django.urls import reverse

from accounts.models import Tenant
from licensing.models import Licence
from catalog.registry import products
from tests import helpers
from tests.helpers import session_full, session_limited, session_password_only

INSTALLED = sorted(p.code for p in products())


def in_use(tenant):
    return sorted(Licence.objects.filter(tenant=tenant, in_use=True).values_list("product_code", flat=True))


def test_new_tenant_uses_every_installed_product(db):
    call_command("create_tenant", "newco", "新会社")
    assert in_use(Tenant.objects.get(code="newco")) == INSTALLED


def test_new_tenant_with_no_products(db):
    call_command("create_tenant", "bare", "空会社", "--no-products")
    assert in_use(Tenant.objects.get(code="bare")) == []


def test_licence_command_switches_a_product(acme, capsys):
    call_command("licence", "acme", "reception", "--no-use")
    assert "reception" not in in_use(acme)
    call_command("licence", "acme", "reception", "--use")
    assert "reception" in in_use(acme)
    assert Licence.objects.filter(tenant=acme, product_code="reception").count() == 1


@pytest.mark.parametrize("args, message", [
    (["nosuch", "attendance", "--use"], "unknown tenant: nosuch"),
    (["acme", "nosuch", "--no-use"], "unknown product: nosuch"),
])
def test_licence_command_rejects_unknown_codes_in_one_line(acme, capsys, monkeypatch, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("licence", *args)
    # run_from_argv closes the connections when it ends; the test's connection must survive.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "licence", *args])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.endswith(message) and "\n" not in err and "Traceback" not in err
    assert Licence.objects.filter(product_code="nosuch").count() == 0


@pytest.mark.parametrize("state", ["password_only", "limited", "full"])
def test_unused_product_has_no_icon_and_every_url_is_404(client, acme, employee_b, state):
    session = {"password_only": session_password_only, "limited": session_limited, "full": session_full}[state]
    session(client, employee_b)
    Licence.objects.filter(tenant=acme).update(in_use=False)
    for product in products():
        for url in {reverse(product.entry_url), *(reverse(f.url_name) for f in product.features)}:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
    if state != "password_only":
        assert 'data-product=' not in client.get("/").content.decode()


def test_licence_is_per_tenant(client, acme, other_user, other_tenant):
    Licence.objects.filter(tenant=acme).update(in_use=False)
    session_full(client, other_user)
    page = client.get("/").content.decode()
    assert all(f'data-product="{code}"' in page for code in INSTALLED)


# --- The admin --------------------------------------------------------------

@pytest.fixture
def operator_session(client, operator):
    helpers.add_device(operator)
    return session_full(client, operator)


def licence_of(tenant, code="attendance"):
    return Licence.objects.get(tenant=tenant, product_code=code)


def test_operator_edits_any_tenants_licence(operator_session, acme, other_tenant):
    client = operator_session
    page = client.get(reverse("admin:licensing_licence_changelist")).content.decode()
    assert "アクメ株式会社" in page and "他社株式会社" in page
    licence = licence_of(other_tenant)
    url = reverse("admin:licensing_licence_change", args=[licence.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"tenant": other_tenant.pk, "product_code": "attendance"})  # in_use unchecked
    assert response.status_code == 302
    licence.refresh_from_db()
    assert not licence.in_use


def test_operator_adds_a_licence_for_an_installed_product_only(operator_session, db):
    tenant = Tenant.objects.create(code="bare", name="空会社")
    add = reverse("admin:licensing_licence_add")
    response = operator_session.post(add, {"tenant": tenant.pk, "product_code": "nosuch", "in_use": "on"})
    assert response.status_code == 200 and not Licence.objects.filter(tenant=tenant).exists()
    response = operator_session.post(add, {"tenant": tenant.pk, "product_code": "payslips", "in_use": "on"})
    assert response.status_code == 302 and in_use(tenant) == ["payslips"]


def test_company_admin_sees_own_licences_read_only(client, admin_a, acme, other_tenant):
    session_full(client, admin_a)
    page = client.get(reverse("admin:licensing_licence_changelist")).content.decode()
    assert "アクメ株式会社" in page and "他社株式会社" not in page
    own = licence_of(acme)
    url = reverse("admin:licensing_licence_change", args=[own.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page and 'name="in_use"' not in page
    assert client.post(url, {"tenant": acme.pk, "product_code": "attendance"}).status_code == 403
    assert licence_of(acme).in_use
    assert client.get(reverse("admin:licensing_licence_add")).status_code == 403
    assert client.post(reverse("admin:licensing_licence_delete", args=[own.pk]), {"post": "yes"}).status_code == 403
    assert Licence.objects.filter(pk=own.pk).exists()


def test_company_admin_gets_404_for_another_tenants_licence(client, admin_a, other_tenant):
    session_full(client, admin_a)
    other = licence_of(other_tenant)
    for name in ["change", "history", "delete"]:
        assert client.get(reverse(f"admin:licensing_licence_{name}", args=[other.pk])).status_code == 404, name


def test_employee_cannot_open_the_licence_admin(client, employee_b):
    session_full(client, employee_b)
    response = client.get(reverse("admin:licensing_licence_changelist"))
    assert response.status_code == 403 and "管理画面は会社の管理者のみ利用できます。" in response.content.decode()


def test_create_tenant_rejects_a_bad_code_in_one_line(db, capsys, monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "create_tenant", "Bad Code!", "会社"])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("CommandError:") and "\n" not in err
    assert not Tenant.objects.exists()


def test_unused_product_leaves_the_company_admin_console(client, admin_a, acme, operator):
    Licence.objects.filter(tenant=acme, product_code="payslips").update(in_use=False)
    session_full(client, admin_a)
    index = client.get(reverse("admin:index")).content.decode()
    assert 'href="/admin/payslips/"' not in index and 'href="/admin/licensing/"' in index
    assert client.get("/admin/payslips/").status_code == 404
    assert client.get("/admin/payslips/payslip/").status_code == 404
    client.logout()
    helpers.add_device(operator)
    session_full(client, operator)  # operators administer every tenant's products
    assert 'href="/admin/payslips/"' in client.get(reverse("admin:index")).content.decode()
    assert client.get("/admin/payslips/payslip/").status_code == 200


def test_tenant_added_in_the_admin_uses_every_installed_product(operator_session):
    response = operator_session.post(reverse("admin:accounts_tenant_add"), {
        "code": "newco", "name": "新会社", "created_at_0": "2026-11-25", "created_at_1": "09:00:00"})
    assert response.status_code == 302
    assert in_use(Tenant.objects.get(code="newco")) == INSTALLED
