"""2要素認証の設定: status and self reset (FAQ ④)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from .. import services
from ..access import Access, access
from ..otp import user_device


class OwnPasswordForm(forms.Form):
    """Re-enter your own password (never someone else's) to confirm."""

    password = forms.CharField(
        label=gettext_lazy("ご自身のパスワード"), max_length=4096, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("パスワードを入力してください。")},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("パスワードが正しくありません。"), code="wrong_password")
        return password


@access(Access.LIMITED)
def security(request):
    """Status for everyone logged in; the reset form only in a verified session."""
    return render(request, "accounts/security.html", {
        "device": user_device(request.user),
        "verified": request.user.is_verified(),
        "form": OwnPasswordForm(request.user),
    })


@access(Access.FULL)
@sensitive_post_parameters()
def self_reset(request):
    if request.method != "POST":
        return redirect("accounts:security")
    form = OwnPasswordForm(request.user, request.POST)
    if not form.is_valid():
        from .. import events

        events.record(request, events.Kind.RESET_DENIED, user=request.user, actor=request.user,
                      detail="wrong password")
        return render(request, "accounts/security.html", {
            "device": user_device(request.user), "verified": True, "form": form,
        }, status=200)
    services.user_reset_2fa(user=request.user, actor=request.user, request=request)
    # This session stays, without the code; it goes straight to the new setup.
    update_session_auth_hash(request, request.user)
    request.session.pop("otp_device_id", None)
    messages.success(request, _("2要素認証を初期化しました。新しいキーで設定してください。"))
    return redirect("accounts:setup")
