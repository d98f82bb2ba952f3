"""The gate's ``console_passkey`` guard: where the company requires it (ログインの設定),
its 会社管理者 open the console only in a session verified with a passkey — the
highest-value accounts get the factor a relayed login page cannot use.

After ``access`` (the session already passed the second factor): an administrator
verified with the app's code or a 回復コード is asked for a passkey at the code step
(``/accounts/verify/?passkey=required``), or, with none registered, sent to register
one. Only a settled passkey counts (``login_policy.settled``): a relayed login that registers its
own passkey must wait out the registration mail. Adding a further passkey needs a
session verified with one (``accounts.views.passkeys``). Operators and the console's
logout are never held. It covers the console only: a product's administrator pages
outside it (明細登録) follow the FAQ's rules.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.identity import login_policy
from accounts.mfa import passkeys
from accounts.models import Passkey
from accounts.sessions.gate import Guard
from accounts.sessions.state import login_state
from kit.access import Access, url_with_next

PASSKEY_REQUIRED = "required"


def require_passkey(request, view_func):
    match = request.resolver_match
    user = request.user
    if match is None or match.app_name != "admin" or match.url_name == "logout":
        return None
    if not user.is_authenticated or user.is_operator or login_state(request).level < Access.FULL:
        return None  # the access guard has asked for what is missing
    if not login_policy.admins_need_passkey(user):
        return None
    device = getattr(user, "otp_device", None)
    if isinstance(device, Passkey) and login_policy.settled(device, user):
        return None
    if any(login_policy.settled(passkey, user) for passkey in passkeys.user_passkeys(user)):
        verify = url_with_next(reverse("accounts:verify"), request.get_full_path())
        return redirect(f"{verify}&passkey={PASSKEY_REQUIRED}")
    messages.warning(request, _(
        "会社の設定により、管理画面を使うにはパスキーが必要です。パスキーを登録すると、"
        "登録から%(hours)d時間後に管理画面で使えるようになります（登録のお知らせメールで、ご本人の操作か確かめるため）。")
        % {"hours": settings.PASSKEY_SETTLE_HOURS})
    return redirect("accounts:security")


CONSOLE_PASSKEY = Guard("console_passkey", on_view=require_passkey, after=("access",))
