"""From a verified assertion to a login, through the login's own path.

The user is looked up inside the assertion's company only (by login ID, or by e-mail
among that company's employees); no account is ever created here. An unknown ID and a
退職 (inactive) account are refused with a Japanese message. Then the rules of every
login: 社外からのアクセス制限, the second factor as the company chose it, and
``accounts.views.login.finish_login`` (session, lifetimes, ログイン中の端末,
ログイン履歴 「シングルサインオン」, the new-device mail).
"""

from django.utils.translation import gettext_lazy as _

from accounts.audit import events
from accounts.identity import known_browsers
from accounts.models import User
from accounts.policy import IdKind, id_kind, normalize_login_id
from accounts.sessions import office_ip
from accounts.sessions.state import MODE_FULL, MODE_LIMITED
from accounts.views.login import finish_login
from sso import saml
from sso.models import SECOND_FACTOR_ALWAYS, SECOND_FACTOR_NEVER, SsoDevice

BACKEND = "accounts.backends.LoginIdBackend"

UNKNOWN_USER = _("会社のアカウントでログインできましたが、このサービスに対応するアカウントがありません。"
                 "会社の管理者にお問い合わせください。")
INACTIVE = _("このアカウントは利用停止（退職）のため、ログインできません。会社の管理者にお問い合わせください。")
INVALID = _("会社のアカウントでのログインを確認できませんでした。もう一度「会社のアカウントでログイン」からお試しください。")
OUTSIDE_OFFICE = _("社外からのアクセスは会社の設定により制限されています。"
                   "社内のネットワークから接続するか、会社の管理者にお問い合わせください。")
NOT_ENABLED = _("この会社ではシングルサインオンを利用していません。IDとパスワードでログインしてください。")


class LoginRefused(Exception):
    def __init__(self, message, reason, user=None, login_id=""):
        super().__init__(reason)
        self.message, self.reason, self.user, self.login_id = message, reason, user, login_id


def user_of(sso_settings, response) -> User:
    """The company's own user the assertion names; ``LoginRefused`` when none (or 退職)."""
    value = saml.asserted_id(response, sso_settings.id_attribute)
    tenant = sso_settings.tenant
    users = User.objects.none()
    if value and sso_settings.id_is_email:
        users = User.objects.filter(tenant=tenant, email__iexact=value)
    elif value:
        users = User.objects.by_login_id(normalize_login_id(value)).filter(tenant=tenant)
    found = list(users[:2])
    if len(found) != 1:  # none, or two employees sharing an address: nobody
        raise LoginRefused(UNKNOWN_USER, "unknown_user", login_id=value[:40])
    user = found[0]
    if not user.is_active or user.is_operator:
        raise LoginRefused(INACTIVE, "inactive", user)
    return user


def second_factor_needed(sso_settings, response) -> bool:
    if sso_settings.second_factor == SECOND_FACTOR_ALWAYS:
        return True
    if sso_settings.second_factor == SECOND_FACTOR_NEVER:
        return False
    return not saml.provider_did_mfa(response)


def provider_device(user) -> SsoDevice:
    """The user's single sign-on 'device' (django-otp's verified state of the session)."""
    device = SsoDevice.objects.filter(user=user).order_by("pk").first()
    return device or SsoDevice.objects.create(user=user, name="single sign-on", confirmed=True)


def log_in(request, sso_settings, response, target: str):
    """Log the asserted user in (the response is verified and its assertion consumed)."""
    user = user_of(sso_settings, response)
    decision = office_ip.login_decision(user, request)
    if not decision.allowed:
        office_ip.record_login_refused(request, user)
        raise LoginRefused(OUTSIDE_OFFICE, "office_ip", user)
    keep = known_browsers.kept(request, user)
    is_b = id_kind(user.login_id) is IdKind.B
    if decision.limited_only or (is_b and second_factor_needed(sso_settings, response)):
        # As the password does for a B-ID: the limited mode; the code (ステップアップ) gives the rest.
        user.otp_device = None
        response_ = finish_login(request, user, method=None, mode=MODE_LIMITED, target=target, keep_trust=keep,
                                 backend=BACKEND, recorded="sso_limited")
        return response_
    if second_factor_needed(sso_settings, response):
        user.otp_device = None  # logged in, the code (or its setup) next
        return finish_login(request, user, method=None, mode=MODE_FULL, target=target, keep_trust=keep,
                            backend=BACKEND, recorded="sso_code")
    user.otp_device = provider_device(user)
    return finish_login(request, user, method="sso", mode=MODE_FULL, target=target, keep_trust=keep,
                        backend=BACKEND, recorded="sso")


def refuse(request, refusal, tenant) -> None:
    events.record(request, events.Kind.SSO_REFUSED, user=refusal.user, tenant=tenant, login_id=refusal.login_id,
                  reason=refusal.reason)
