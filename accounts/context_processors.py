from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.identity import known_browsers
from accounts.mfa.otp import user_device
from accounts.sessions.lifetime import seconds_left
from accounts.sessions.state import reached_level
from kit.access import Access
from kit.drafts import drafts_session


def temporary_password_banner(request):
    """The one temporary-password banner (FAQ ⑫), worded for where the session is.

    Limited mode (B-IDs): the recommendation, with the link to the change
    (which asks for the code first). Before the code or the setup: what comes
    next. Verified with the code: nothing, the forced change page explains.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.password_is_temporary:
        return {}
    level = reached_level(request)
    if level == Access.LIMITED:
        return {"temporary_password_banner": _("仮パスワードのままご利用中です。セキュリティのため、パスワードを変更してください。"),
                "temporary_password_change_link": True}
    if level == Access.LOGIN:
        if user_device(user) is None:
            return {"temporary_password_banner": _("仮パスワードでログインしています。2要素認証の設定が終わると、"
                                                   "新しいパスワードの設定に進みます。")}
        return {"temporary_password_banner": _("仮パスワードでログインしています。認証コードを入力すると、"
                                               "新しいパスワードの設定に進みます。")}
    return {}


def session_timeout(request):
    """What the timeout notice (static/js/session.js) needs, for a logged-in session."""
    from django.conf import settings

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_timeout": {"seconds_left": seconds_left(request),
                                "warn_seconds": settings.SESSION_WARNING_SECONDS}}


def drafts(request):
    """The drafts script's view of the session (static/js/drafts.js): its tag, "" when
    nobody is logged in. A page rendered without its request has none, and removes nothing."""
    if not hasattr(request, "session"):
        return {}
    user = getattr(request, "user", None)
    return {"drafts": {"session": drafts_session(request),
                       "owner": user.login_id if user is not None and user.is_authenticated else ""}}


def company_contacts(request):
    """問い合わせ先 (``Tenant.contact``) where the pages say 「会社の管理者にお問い合わせください」:
    the signed-in user's company's; before a login, those of the companies whose people logged
    in on this browser. A list of (company name, its text or ""); read only when a page shows it."""
    def contacts():
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            companies = [user.tenant] if user.tenant_id else []
        else:
            companies = known_browsers.companies(request)
        return [(company.name, company.contact) for company in companies]
    return {"company_contacts": SimpleLazyObject(contacts)}
