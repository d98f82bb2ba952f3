"""``next`` never sends a user off the site: login, code step, setup and password change."""

import pytest
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import PASSWORD, code_for, session_full, session_limited, session_password_only

EVIL = [
    "//evil.com",
    "https://evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "javascript:alert(1)",
    "https:evil.com",
    " //evil.com",
    "http://testserver@evil.com/",
]


def assert_stays_on_site(response):
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location.split("?")[0], location


@pytest.mark.parametrize("target", EVIL)
def test_login(client, employee_b, target):
    client.post("/accounts/login/", {"login_view-current_step": "auth", "auth-username": "B1000001",
                                     "auth-password": PASSWORD, "next": target})
    response = client.post(f"/accounts/login/?next={target}",
                           {"login_view-current_step": "choice", "choice-mode": "limited", "next": target})
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", EVIL)
def test_code_step(client, employee_b, target):
    session_limited(client, employee_b)
    device = TOTPDevice.objects.get(user=employee_b)
    response = client.post("/accounts/verify/", {"otp_token": code_for(device), "next": target})
    assert_stays_on_site(response)
    assert client.session.get("otp_device_id"), "the code was accepted"


@pytest.mark.parametrize("target", EVIL)
def test_code_step_when_already_verified(client, employee_b, target):
    session_full(client, employee_b)
    assert_stays_on_site(client.get("/accounts/verify/", {"next": target}))


@pytest.mark.parametrize("target", EVIL)
def test_setup_when_already_set_up(client, employee_a, target):
    session_full(client, employee_a)
    assert_stays_on_site(client.get("/accounts/setup/", {"next": target}))


@pytest.mark.parametrize("target", EVIL)
def test_setup_form_does_not_carry_the_target(client, fresh_a, target):
    session_password_only(client, fresh_a)
    response = client.get("/accounts/setup/", {"next": target})
    assert response.status_code == 200
    form = response.content.decode().split('<form method="post" action="" novalidate>')[1].split("</form>")[0]
    assert "evil" not in form


@pytest.mark.parametrize("target", EVIL)
def test_password_change(client, employee_a, target):
    session_full(client, employee_a)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Another-horse-7-staple",
        "new_password2": "Another-horse-7-staple", "next": target,
    })
    assert_stays_on_site(response)


# Every exit of the login (issue 20 §3): whatever ``next`` holds, the login ends on
# a page of this site that answers (never a 500, never off-site, never an
# unmounted URL such as django-two-factor-auth's ``two_factor:setup``).
HOSTILE = EVIL + [
    "/admin/",
    "/admin/accounts/user/",
    "/admin/accounts/user/add/",
    "/admin/logout/",
    "/admin/nowhere/",
    "%2F%2Fevil.com",
    "/%2F%2Fevil.com",
    "/%5Cevil.com",
    "/%2Fadmin%2F",
    "/%61dmin/",
    "/\t/evil.com",
    "javascript%3Aalert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,evil",
    "///evil.com",
    "/nowhere/",
    "/accounts/nowhere/",
    "/two_factor/setup/",
    "portal:home",
    "admin:index",
    "/attendance/requests/new/",
    "/attendance/punch/",
    "/accounts/setup/",
    "/accounts/verify/",
    "/accounts/password/",
    "/accounts/login/?next=/admin/",
    "/?next=//evil.com",
]


def follow_on_site(client, response, hops=8):
    """Follows the redirects of a login's end; every one stays here, the last page answers 200."""
    from urllib.parse import urlsplit

    from django.urls import resolve

    for _ in range(hops):
        if response.status_code != 302:
            break
        assert_stays_on_site(response)
        response = client.get(response["Location"])
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    resolve(urlsplit(response.wsgi_request.get_full_path()).path)  # a mounted page
    return response


def wizard(client, target, step, data):
    from django.utils.http import urlencode

    return client.post(f"/accounts/login/?{urlencode({'next': target})}",
                       {"login_view-current_step": step, "next": target, **data})


def log_in_with_next(client, user, target, *, mode=None, code=False):
    response = wizard(client, target, "auth", {"auth-username": user.login_id, "auth-password": PASSWORD})
    if mode:
        response = wizard(client, target, "choice", {"choice-mode": mode})
    if code:
        response = wizard(client, target, "token", {"token-otp_token": code_for(TOTPDevice.objects.get(user=user))})
    assert response.status_code == 302, "the login ended"
    assert client.session.get("_auth_user_id") == str(user.pk)
    return follow_on_site(client, response)


@pytest.fixture
def new_admin(acme):
    """A new company administrator on a temporary password, without a device yet."""
    from tests.helpers import make_user

    return make_user("A1000009", acme, name="新任 管理", admin=True, temporary=True)


LOGIN_PATHS = {
    "A-ID with a device": ("employee_a", None, True),
    "A-ID without a device": ("fresh_a", None, False),
    "administrator without a device, temporary password": ("new_admin", None, False),
    "administrator with the code": ("admin_a", None, True),
    "B-ID limited": ("employee_b", "limited", False),
    "B-ID full": ("employee_b", "full", True),
    "B-ID without a device, limited": ("fresh_b", "limited", False),
    "B-ID without a device, full": ("fresh_b", "full", False),
    "B-ID temporary password, limited": ("temp_b", "limited", False),
    "B-ID temporary password, full": ("temp_b", "full", True),
}


@pytest.mark.parametrize("target", HOSTILE)
@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_every_login_exit(client, request, path, target):
    fixture, mode, code = LOGIN_PATHS[path]
    user = request.getfixturevalue(fixture)
    response = log_in_with_next(client, user, target, mode=mode, code=code)
    page = response.wsgi_request.path
    if mode == "limited":
        assert not page.startswith("/admin/"), "the limited mode never leads into the console"
    if not user.is_staff:
        assert not page.startswith("/admin/")


@pytest.mark.parametrize("target", HOSTILE)
def test_login_after_an_expired_session(client, admin_a, target):
    """The session timed out on a page; the next login (with that page as ``next``) ends well."""
    from accounts.sessions.state import STARTED_SESSION_KEY

    session_full(client, admin_a)
    session = client.session
    session[STARTED_SESSION_KEY] = 1  # past the absolute lifetime
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    log_in_with_next(client, admin_a, target, code=True)


@pytest.mark.parametrize("path", ["B-ID limited", "A-ID without a device",
                                  "administrator without a device, temporary password"])
def test_console_bookmark_logs_in(client, request, path):
    """A bookmarked /admin/ no longer loses the login (it was a 500)."""
    fixture, mode, code = LOGIN_PATHS[path]
    user = request.getfixturevalue(fixture)
    response = log_in_with_next(client, user, "/admin/", mode=mode, code=code)
    if mode == "limited":
        assert response.wsgi_request.path == "/", "the portal of the limited mode"
    else:
        assert response.wsgi_request.path == "/accounts/setup/", "the setup comes first"
        assert response.wsgi_request.GET.get("next") == ("/admin/" if user.is_staff else None)


def test_console_after_setup_and_password(client, new_admin):
    """The new administrator's bookmark is kept through the setup and the forced password change."""
    response = log_in_with_next(client, new_admin, "/admin/")
    assert response.wsgi_request.get_full_path() == "/accounts/setup/?next=%2Fadmin%2F"
    key = client.session["netdekomon_setup_key"]
    device = TOTPDevice(user=new_admin, key=key)
    response = client.post("/accounts/setup/?next=%2Fadmin%2F", {
        "setup_view-current_step": "generator", "generator-token": code_for(device), "next": "/admin/"})
    response = follow_on_site(client, response)
    assert response.wsgi_request.path == "/accounts/password/"
    new = "Another-horse-7-staple"
    response = client.post(response.wsgi_request.get_full_path(), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    response = follow_on_site(client, response)
    assert response.wsgi_request.path == "/admin/", "the bookmark, at last"
