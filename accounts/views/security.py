"""2要素認証の設定: status and self reset (FAQ ④)."""

from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts.people import services
from kit.access import Access, access
from accounts.mfa import passkeys, recovery
from accounts.mfa.otp import user_device
from accounts.login.security_forms import OwnPasswordForm
from accounts.sessions.state import forget_device
from .sessions import offer_sessions_page


def _page(request, form, status=200):
    return render(request, "accounts/security.html", {
        "device": user_device(request.user),
        "passkeys": list(passkeys.user_passkeys(request.user)),
        "recovery_available": recovery.available(request.user),
        "recovery_state": recovery.state(request.user),
        "verified": request.user.is_verified(),
        "form": form,
    }, status=status)


@access(Access.LIMITED)
def security(request):
    """Status for everyone logged in; the reset form only in a verified session."""
    return _page(request, OwnPasswordForm(request.user))


@access(Access.FULL)
@sensitive_post_parameters("password")
def self_reset(request):
    """Reset with your own password, from a session verified with the code.

    A password-only or limited-mode session never gets here: the access
    middleware sends it to the code step first (a stolen password must not
    replace the second factor).
    """
    if request.method != "POST":
        return redirect("accounts:security")
    form = OwnPasswordForm(request.user, request.POST)
    if not form.is_valid():
        form.record_denial(request, users=[request.user])
        return _page(request, form)
    services.user_reset_2fa(user=request.user, actor=request.user, request=request)
    # Every other session has ended; this one stays logged in without the
    # code and goes straight to the setup of a new secret.
    update_session_auth_hash(request, request.user)
    forget_device(request)
    offer_sessions_page(request, _("2要素認証を初期化しました。ほかの端末のログインはすべて終了しました。"
                                   "新しいキーで設定してください。"))
    return redirect("accounts:setup")
