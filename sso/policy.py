"""The company's single sign-on rules around the password login (the hook
``accounts.login.hooks``, registered in ``SsoConfig.ready``):

- 「A-IDはシングルサインオンでのみログインできる」: the password login of an A-ID is
  refused, once the password is known right, with a message saying where to log in;
  B-IDs keep the ID + password and the limited mode;
- the break-glass 会社管理者 named in the settings keep the password and the code (the
  provider may be down); each such login is an audit event (``SSO_BREAK_GLASS``) and a
  mail to every administrator of the company.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.audit import events
from accounts.event_mails import Mail, account, when
from accounts.login.hooks import CompanyLogin
from accounts.models import User
from accounts.policy import IdKind, id_kind
from kit.mail import send_notice
from sso.models import SsoSettings


def enabled_settings(tenant_id) -> SsoSettings | None:
    if tenant_id is None:
        return None
    return SsoSettings.objects.filter(tenant_id=tenant_id, enabled=True).first()


def required_for(user) -> SsoSettings | None:
    """The company's settings when ``user`` is an A-ID whose company requires single sign-on."""
    if id_kind(user.login_id) is not IdKind.A:
        return None
    found = enabled_settings(user.tenant_id)
    return found if found is not None and found.a_ids_require_sso else None


def is_break_glass(sso_settings, user) -> bool:
    return user.is_staff and sso_settings.break_glass.filter(pk=user.pk).exists()


def password_refused(request, user) -> str | None:
    found = required_for(user)
    if found is None or is_break_glass(found, user):
        return None
    events.record(request, events.Kind.SSO_REFUSED, user=user, reason="password_required_sso")
    return _("この会社では、Aで始まるIDはシングルサインオンでのみログインできます。"
             "「会社のアカウントでログイン」を押してください。")


BREAK_GLASS_MAIL = Mail(
    subject="シングルサインオンの例外ログインがありました",
    opening=lambda event: (
        f"{account(event)}が {when(event.created_at)} に、シングルサインオンを使わず"
        "パスワードと認証コードでログインしました（IDプロバイダの障害時の例外として指定された会社管理者）。"),
    facts=lambda event: [("IPアドレス", event.ip_address or "-")],
    advice=lambda event: "IDプロバイダに障害がない場合は、このログインが必要だったか本人に確認してください。",
    unexpected="お心当たりがない場合は、この管理者のアカウントの仮パスワード発行と2要素認証の初期化を検討してください。",
)


def password_login_done(request, user) -> None:
    """A break-glass 会社管理者 logged in with the password: recorded, every administrator told."""
    found = required_for(user)
    if found is None or not is_break_glass(found, user):
        return
    event = events.record(request, events.Kind.SSO_BREAK_GLASS, user=user)
    context = BREAK_GLASS_MAIL.context(event)
    for admin in User.objects.filter(tenant_id=user.tenant_id, is_staff=True, is_active=True).order_by("pk"):
        send_notice("accounts/email/security_notice", admin, context)


COMPANY_LOGIN = CompanyLogin(
    offered=lambda: SsoSettings.objects.filter(enabled=True).exists(),
    find_url=lambda: reverse("sso:find"),
    password_refused=password_refused,
    password_login_done=password_login_done,
)
