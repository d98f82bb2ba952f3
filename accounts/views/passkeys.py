"""パスキー and 回復コード on the security settings page: a passkey's 登録 and 削除, and
the 回復コード's 発行, each after the user's own password in a session verified with
the second factor (like the 2FA reset).

Registration takes two requests: the name and the password, then the
browser makes the passkey for the challenge kept in this session (only a
session that just passed the password has one) and the page posts it.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from accounts.login.security_forms import OwnPasswordForm, PasskeyAddForm, PasskeyCreateForm
from accounts.identity import login_policy
from accounts.mfa import passkeys, recovery
from accounts.models import Passkey
from accounts.people import services
from kit.access import Access, access, url_with_next

EXPIRED = gettext_lazy("時間がたったため、パスキーを作成できませんでした。もう一度パスワードを入力して「次へ」を押してください。")
NOT_MADE = gettext_lazy("パスキーを登録できませんでした。もう一度「パスキーを作成」を押してください。")


def _create_page(request, form):
    return render(request, "accounts/passkey_add.html", {
        "step": "create", "form": form, "passkey_options": passkeys.registration_options(request, request.user)})


def _password_again(request, name):
    form = PasskeyAddForm(request.user, initial={"name": name[:64] or passkeys.default_name(request)})
    return render(request, "accounts/passkey_add.html", {"step": "password", "form": form, "notice": EXPIRED})


@access(Access.FULL)
@sensitive_post_parameters("password", "passkey")
def passkey_add(request):
    """「パスキーを登録」: name and own password, then the browser makes the passkey.

    Where the company requires a passkey of its administrators, an administrator who has
    one adds another only from a session verified with a passkey (a relayed login with
    the password and the code cannot add its own)."""
    user = request.user
    if (login_policy.admins_need_passkey(user) and passkeys.has_passkey(user)
            and not isinstance(getattr(user, "otp_device", None), Passkey)):
        return redirect(url_with_next(reverse("accounts:verify"), request.get_full_path()) + "&passkey=required")
    if request.method == "POST" and "passkey" in request.POST:
        form = PasskeyCreateForm(request.POST)
        if not passkeys.registration_pending(request):  # no password step in this session, or too long ago
            return _password_again(request, request.POST.get("name", ""))
        if not form.is_valid():
            return _create_page(request, form)
        try:
            device = services.user_add_passkey(user=request.user, request=request,
                                               answer=form.cleaned_data["passkey"], name=form.cleaned_data["name"])
        except passkeys.Refused as refusal:
            if refusal.reason == passkeys.EXPIRED:
                return _password_again(request, form.cleaned_data["name"])
            form.add_error(None, NOT_MADE)
            return _create_page(request, form)
        messages.success(request, _("パスキー「%(name)s」を登録しました。次回から認証コードの代わりに使えます。")
                         % {"name": device.name})
        return redirect("accounts:security")
    if request.method == "POST":
        form = PasskeyAddForm(request.user, request.POST)
        if form.is_valid():
            passkeys.password_proved(request)
            return _create_page(request, PasskeyCreateForm(initial={"name": form.cleaned_data["name"]}))
        form.record_denial(request, users=[request.user], action="passkey_add")
    else:
        form = PasskeyAddForm(request.user, initial={"name": passkeys.default_name(request)})
    return render(request, "accounts/passkey_add.html", {"step": "password", "form": form})


@access(Access.FULL)
@sensitive_post_parameters("password")
def passkey_remove(request, pk):
    """「削除」 of one of the user's own passkeys (anyone else's: 404)."""
    device = get_object_or_404(passkeys.user_passkeys(request.user), pk=pk)
    form = OwnPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            services.user_remove_passkey(user=request.user, device=device, request=request)
            messages.success(request, _("パスキー「%(name)s」を削除しました。") % {"name": device.name})
            return redirect("accounts:security")
        form.record_denial(request, users=[request.user], action="passkey_remove")
    return render(request, "accounts/passkey_remove.html", {"device": device, "form": form})


@access(Access.FULL)
@sensitive_post_parameters("password")
def recovery_codes(request):
    """「回復コードを発行」: after the own password, ten new codes shown once (the old ones end)."""
    if not recovery.available(request.user):
        return render(request, "accounts/recovery_codes.html", {"unavailable": True})
    form = OwnPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            codes = services.user_issue_recovery_codes(user=request.user, request=request)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "all_codes": "\n".join(codes)})
        form.record_denial(request, users=[request.user], action="recovery_codes")
    return render(request, "accounts/recovery_codes.html", {"form": form, "state": recovery.state(request.user)})
