"""The manager console's security log (read-only, own tenant), and no admin page
showing a TOTP secret."""

from base64 import b32encode
from binascii import unhexlify

import pytest
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from tests.helpers import session_full
from accounts.console.tests.test_console import USERS, action

Kind = SecurityEvent.Kind


# -- security log ----------------------------------------------------------------------

def test_security_log_is_read_only_and_scoped(console, admin_a, employee_a, other_user):
    from accounts.audit import events

    own = events.record(None, Kind.LOGIN_FAILURE, user=employee_a)
    events.record(None, Kind.LOGOUT, user=employee_a)
    foreign = events.record(None, Kind.LOGIN_FAILURE, user=other_user)
    url = "/admin/accounts/securityevent/"

    page = console.get(url).content.decode()
    assert employee_a.login_id in page and other_user.login_id not in page
    assert console.get(f"{url}{own.pk}/change/").status_code == 200
    assert console.get(f"{url}{foreign.pk}/change/").status_code == 404
    assert console.get(f"{url}add/").status_code == 403
    assert console.post(f"{url}{own.pk}/change/", {"detail": "消した"}).status_code == 403
    assert console.post(f"{url}{own.pk}/delete/", {"post": "yes"}).status_code == 403
    own.refresh_from_db()
    assert own.detail == ""
    filtered = console.get(url, {"kind": "logout"}).content.decode()
    assert "ログアウト" in filtered and f"{url}{own.pk}/" not in filtered
    SecurityEvent.objects.filter(pk=foreign.pk).update(tenant=admin_a.tenant)  # (now visible)
    SecurityEvent.objects.filter(pk=own.pk).update(created_at="2020-05-01T10:00:00+09:00")
    recent = console.get(url, {"created_at__gte": "2025-01-01 00:00:00+09:00"}).content.decode()
    assert f"{url}{foreign.pk}/" in recent and f"{url}{own.pk}/" not in recent


def test_security_log_query_count_does_not_grow_with_rows(console, admin_a, employee_a,
                                                         django_assert_max_num_queries):
    from accounts.audit import events

    for n in range(20):
        events.record(None, Kind.RESET, user=employee_a, actor=admin_a)
        events.record(None, Kind.LOGIN_SUCCESS, user=employee_a, method="code")  # a login and its new device:
        events.record(None, Kind.NEW_DEVICE, user=employee_a)  # one line, told in the same query
    with django_assert_max_num_queries(14):  # the same with 1 row (date hierarchy and counts included)
        page = console.get("/admin/accounts/securityevent/").content.decode()
    assert page.count("2要素認証 初期化") >= 20
    assert page.count("・新しい端末から（本人にメールでお知らせ）") >= 20


# -- no secret on any admin page ----------------------------------------------------

def keys_of(devices):
    secrets = set()
    for device in devices:
        secrets.add(device.key.lower())
        b32 = b32encode(unhexlify(device.key)).decode().rstrip("=")
        secrets.update({b32, b32.lower(), " ".join(b32[i:i + 4] for i in range(0, len(b32), 4))})
    return secrets


def reachable_admin_pages(client):
    """Every admin page the logged-in user can open: index, app indexes, and per model
    the list, the add form, and one object's change, history, delete and custom pages."""
    urls = ["/admin/"]
    request = client.get("/admin/").wsgi_request
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        if not model_admin.has_view_or_change_permission(request):
            continue
        urls += [f"/admin/{opts.app_label}/", base, f"{base}?q=a"]
        if model_admin.has_add_permission(request):
            urls.append(f"{base}add/")
        obj = model_admin.get_queryset(request).first()
        if obj is not None:
            urls += [f"{base}{obj.pk}/change/", f"{base}{obj.pk}/history/"]
            if model is User:
                urls += [f"{base}{obj.pk}/reset-2fa/", f"{base}{obj.pk}/temporary-password/"]
    return urls


@pytest.mark.parametrize("who", ["admin_a", "operator"])
def test_no_admin_page_shows_a_totp_secret(client, request, who, employee_a, employee_b, other_user):
    from tests.helpers import add_device

    user = request.getfixturevalue(who)
    if not TOTPDevice.objects.filter(user=user).exists():
        add_device(user)
    session_full(client, user)
    secrets = keys_of(TOTPDevice.objects.all())
    from accounts.audit import events

    events.record(client.get("/").wsgi_request, Kind.SETUP, user=employee_a)
    pages = reachable_admin_pages(client)
    assert len(pages) > 8 and "/admin/accounts/securityevent/" in pages
    pages += [f"{USERS}{employee_a.pk}/change/", f"{USERS}{employee_a.pk}/reset-2fa/"]
    if who == "operator":
        assert "/admin/otp_totp/totpdevice/" not in pages  # no device admin at all
        assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    # The reset confirmation pages of an action too.
    pages_html = [client.get(url) for url in pages]
    pages_html.append(action(client, "reset_2fa_action", [employee_a]))
    for response in pages_html:
        assert response.status_code == 200, response.wsgi_request.path
        html = response.content.decode()
        found = [s for s in secrets if s in html]
        assert not found, f"{response.wsgi_request.get_full_path()} shows a TOTP key"
        assert "otpauth://" not in html
