"""Building personas and putting a test client in a given login state."""

import base64
import time
from binascii import unhexlify

import pyotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions.state import (
    DEVICE_ID_SESSION_KEY,
    MODE_FULL,
    MODE_LIMITED,
    MODE_SESSION_KEY,
)
from accounts.models import Tenant, User
from accounts.people.services import tenant_create, user_create

PASSWORD = "Correct-horse-9-battery"


def make_tenant(code, name):
    return Tenant.objects.filter(code=code).first() or tenant_create(code=code, name=name)


def make_user(login_id, tenant, *, name="", admin=False, device=False, temporary=False, email=""):
    user, _ = user_create(login_id=login_id, tenant=tenant, name=name, is_admin=admin,
                          email=email or f"{login_id.lower()}@example.com", password=PASSWORD)
    if temporary:
        user.set_temporary_password(PASSWORD)
        user.save()
    if device:
        add_device(user)
    return user


def make_operator(login_id):
    return User.objects.create_superuser(login_id, PASSWORD, name="運営")


def add_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def totp_for(device, at=None) -> pyotp.TOTP:
    """An independent (pyotp) generator for a django-otp device's secret."""
    secret = base64.b32encode(unhexlify(device.key)).decode()
    return pyotp.TOTP(secret, digits=device.digits, interval=device.step)


def code_for(device, at=None) -> str:
    return totp_for(device).at(at if at is not None else time.time())


def session_password_only(client, user):
    """Password step passed, nothing more."""
    client.force_login(user, backend="accounts.backends.LoginIdBackend")
    return client


def session_limited(client, user):
    """B-ID that chose 「就業打刻・明細閲覧のみ利用する」."""
    client.force_login(user, backend="accounts.backends.LoginIdBackend")
    session = client.session
    session[MODE_SESSION_KEY] = MODE_LIMITED
    _row_follows(session)
    session.save()
    return client


def _row_follows(session):
    """The login session's row (ログイン中の端末) takes the mode, as at the end of a real login."""
    from accounts.models import UserSession
    from accounts.sessions.user_sessions import ROW_SESSION_KEY

    UserSession.objects.filter(session_key=session.session_key).update(mode=session[MODE_SESSION_KEY])
    session[ROW_SESSION_KEY] = [session.session_key, session[MODE_SESSION_KEY], None]


def session_full(client, user):
    """Verified with the code in this session."""
    client.force_login(user, backend="accounts.backends.LoginIdBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    assert device is not None, f"{user} has no device"
    session = client.session
    session[MODE_SESSION_KEY] = MODE_FULL
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    _row_follows(session)
    session.save()
    return client


def post_login(client, login_id, password=PASSWORD, *, trust=False, **extra):
    """The password step; ``trust`` ticks 「このブラウザを信頼する」."""
    data = {"login_view-current_step": "auth", "auth-username": login_id, "auth-password": password}
    if trust:
        data["auth-trust_browser"] = "on"
    return client.post("/accounts/login/", data, **extra)


def post_choice(client, mode):
    return client.post("/accounts/login/", {"login_view-current_step": "choice", "choice-mode": mode})


def post_code(client, code):
    return client.post("/accounts/login/", {"login_view-current_step": "token", "token-otp_token": code})


def login_full_via_wizard(client, user, device):
    post_login(client, user.login_id)
    if user.login_id.startswith("B"):
        post_choice(client, "full")
    return post_code(client, code_for(device))


def is_project_path(path) -> bool:
    """A folder of this project: under BASE_DIR, and not in the virtualenv (``make`` puts it in .venv/)."""
    import sys
    from pathlib import Path

    from django.conf import settings

    path = Path(path).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) \
        and not path.is_relative_to(Path(sys.prefix).resolve())
