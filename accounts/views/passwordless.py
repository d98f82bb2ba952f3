"""「パスキーでログイン」: a passkey that verified its user (fingerprint, face, PIN) is
the whole login — ID, password and code in one step — for the users of a company
that allows it (ログインの設定; off by default).

The login page's button asks this view for the options (``begin``), the browser
lets the user pick one of this site's passkeys, and the page posts the answer
here. The same rules as any login then apply before the session starts: an
inactive (退職) account or an expired temporary password, a lockout of the ID
(this address, or the per-ID ceiling for an unknown browser) and 社外からのアクセス制限
(where only the limited mode is allowed, the password login offers it) refuse it;
a browser's 「このブラウザを信頼する」 is kept; the session,
ログイン中の端末, ログイン履歴 (「パスキーのみ」) and the new-device mail are those
of the login wizard (``finish_login``).
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.audit import events
from accounts.identity import known_browsers, lockout, login_policy
from accounts.login import hooks
from accounts.login.forms import OUTSIDE_OFFICE
from accounts.login.other_factors import PASSKEY_ERRORS
from accounts.mfa import passkeys
from accounts.sessions import office_ip
from accounts.sessions.state import MODE_FULL
from kit.access import Access, access

from .login import finish_login
from .verify import next_path

BACKEND = "accounts.backends.LoginIdBackend"
NOT_HERE = _("このパスキーではログインできません。ID とパスワードでログインしてください。")
NOT_ALLOWED = _("会社の設定により、パスキーだけではログインできません。ID とパスワードでログインしてください。")
LIMITED_ONLY_HERE = _("社外からは、IDとパスワードでログインし「就業打刻・明細閲覧のみ利用する」を選んでください"
                      "（会社の設定）。")
LOCKED = _("このIDは失敗が続いたため、一時的にログインを制限しています。時間をおいてからもう一度お試しください。")


def _refused(request, message, user=None, reason=None):
    if reason:
        events.record(request, events.Kind.PASSKEY_REFUSED, user=user, reason=reason)
    messages.error(request, message)
    return redirect("accounts:login")


@access(Access.PUBLIC)
@never_cache
@require_POST
@sensitive_post_parameters("passkey")
def passwordless(request):
    if not login_policy.passwordless_offered():  # no company allows it: nothing to check or record
        if request.POST.get("begin"):
            return JsonResponse({"detail": str(NOT_ALLOWED)}, status=403)
        return _refused(request, NOT_ALLOWED)
    if request.POST.get("begin"):
        return JsonResponse(passkeys.passwordless_options(request))
    try:
        device = passkeys.verify_passwordless(request, request.POST.get("passkey", ""))
    except passkeys.Refused as refusal:  # recorded by verify_passwordless()
        return _refused(request, PASSKEY_ERRORS["cloned"] if refusal.reason == passkeys.CLONED else NOT_HERE)
    user = device.user
    if not user.is_active or user.temporary_password_expired:  # as LoginIdBackend refuses a password login
        return _refused(request, NOT_HERE, user, passkeys.INACTIVE)
    if not login_policy.passwordless_allowed(user):
        return _refused(request, NOT_ALLOWED, user, passkeys.NOT_ALLOWED)
    refused = hooks.password_refused(request, user)  # 「A-IDはシングルサインオンでのみ」 (recorded by the hook)
    if refused:
        return _refused(request, refused)
    if AxesProxyHandler.is_locked(request, {"username": user.login_id}) or lockout.closed_to(request, user.login_id):
        return _refused(request, LOCKED, user, passkeys.LOCKED)
    decision = office_ip.login_decision(user, request)
    if not decision.allowed:
        office_ip.record_login_refused(request, user)
        return _refused(request, OUTSIDE_OFFICE)
    if decision.limited_only:  # from here only the limited mode, which the password login offers
        return _refused(request, LIMITED_ONLY_HERE)
    user.otp_device = device
    response = finish_login(request, user, method="passwordless", mode=MODE_FULL, target=next_path(request),
                            keep_trust=known_browsers.kept(request, user), backend=BACKEND)
    hooks.password_login_done(request, user)  # a break-glass administrator's: recorded and mailed
    return response
