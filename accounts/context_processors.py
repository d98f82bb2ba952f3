from django.utils.translation import gettext as _


def temporary_password_banner(request):
    """The temporary-password recommendation shown on every page (FAQ ⑫)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.password_is_temporary:
        return {"temporary_password_banner": _("仮パスワードのままご利用中です。セキュリティのため、"
                                   "「すべての機能を利用する」でログインしてパスワードを変更してください。")}
    return {}


def session_timeout(request):
    """What the timeout notice (static/js/session.js) needs, for a logged-in session."""
    from django.conf import settings

    from .session_lifetime import seconds_left

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_timeout": {"seconds_left": seconds_left(request),
                                "warn_seconds": settings.SESSION_WARNING_SECONDS}}
