"""Forms that confirm a security action with the acting user's own password (FAQ ④ ⑪)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from django.contrib.auth import forms as auth_forms

from accounts.audit import events
from accounts.login.forms import limit_password_length
from accounts.audit.throttling import password_change_locked, reset_locked

WRONG_PASSWORD = _("パスワードが正しくありません。ご自身（操作している方）のパスワードを入力してください。")
LOCKED = _("パスワードの誤りが続いたため、しばらくの間この操作はできません。時間をおいてからもう一度お試しください。")


class OwnPasswordForm(forms.Form):
    """Re-enter your own password (never the employee's) to reset a 2FA.

    Wrong passwords are recorded as RESET_DENIED events; after as many as a
    login allows, the action is locked for the login cool-off time without
    the password being checked at all (see ``throttling.reset_locked``).
    """

    password = forms.CharField(
        label=_("ご自身のパスワード"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("パスワードを入力してください。")},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        limit_password_length(self.fields["password"])

    def clean_password(self):
        password = self.cleaned_data["password"]
        if reset_locked(self.user):
            raise forms.ValidationError(LOCKED, code="locked")
        if not self.user.check_password(password):
            raise forms.ValidationError(WRONG_PASSWORD, code="wrong_password")
        return password

    def record_denial(self, request, *, users=(), action: str | None = None) -> None:
        """Record why the reset of ``users`` (or the passkey ``action``) was refused (never the
        typed password). Every such refusal counts towards the lock of ``reset_locked``."""
        codes = {error.code for error in self.errors.as_data().get("password", [])}
        if "required" in codes:
            return
        users = list(users)
        reason = events.LOCKED if "locked" in codes else events.WRONG_PASSWORD
        events.record(request, events.Kind.RESET_DENIED, user=users[0] if len(users) == 1 else None,
                      actor=self.user, login_id=" ".join(u.login_id for u in users)[:40], reason=reason,
                      **({"action": action} if action else {}))


class PasskeyNameForm(forms.Form):
    """The name a passkey is listed under (「iPhone の Safari」 by default)."""

    name = forms.CharField(
        label=_("パスキーの名前"), max_length=64, strip=True,
        help_text=_("どの端末のパスキーか分かる名前にしてください（例: iPhone の Safari）。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("パスキーの名前を入力してください。"),
                        "max_length": _("パスキーの名前は%(limit_value)d文字以内で入力してください。")},
    )


class PasskeyAddForm(PasskeyNameForm, OwnPasswordForm):
    """「パスキーを登録」, first step: its name and the user's own password."""


class PasskeyCreateForm(PasskeyNameForm):
    """Second step: the browser's new credential, posted by static/js/passkey.js."""

    passkey = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16_384)


class AdminResetForm(OwnPasswordForm):
    """The administrator's own password, and whether the reset keeps the employee's password.

    By default the reset also issues a temporary password: whoever knows the
    old password (the reason for many resets) must not be the one who enrols
    the next authenticator. Keeping the password is an explicit choice, so a
    form posted without the field issues one too.
    """

    keep_password = forms.BooleanField(
        label=_("パスワードは変更しない（おすすめしません）"), required=False,
        help_text=_("通常は仮パスワードも発行します。今のパスワードを知っている人が、新しい認証アプリを登録できないようにするためです。"),
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Current password, then a new one that passes Django's validators and is really new."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("現在のパスワードが正しくありません。"),
        "password_mismatch": _("確認用のパスワードが一致しません。"),
        "password_unchanged": _("現在と異なるパスワードを入力してください。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("現在のパスワード")
        if self.user.password_is_temporary:  # what the user holds is the one the administrator issued
            self.fields["old_password"].label = _("仮パスワード")
            self.error_messages = {**self.error_messages,
                                   "password_incorrect": _("仮パスワードが正しくありません。")}
        self.fields["new_password1"].label = _("新しいパスワード")
        self.fields["new_password2"].label = _("新しいパスワード（確認）")
        for name in ("new_password1", "new_password2", "old_password"):
            limit_password_length(self.fields[name])

    def clean_old_password(self):
        if password_change_locked(self.user):
            raise forms.ValidationError(LOCKED, code="locked")  # the password is not even checked
        return super().clean_old_password()

    def record_denial(self, request) -> None:
        """Record a wrong current password (never the typed one); enough of them lock the form."""
        codes = {error.code for error in self.errors.as_data().get("old_password", [])}
        if "password_incorrect" in codes:
            events.record(request, events.Kind.LOGIN_FAILURE, user=self.user, actor=self.user,
                          reason=events.WRONG_CURRENT_PASSWORD)

    def validate_password_for_user(self, user, password_field_name="new_password1"):
        # The rules' errors (too short, too common …) under 新しいパスワード, where the password is
        # typed; Django puts them under the confirmation. A mismatch stays under the confirmation.
        super().validate_password_for_user(user, password_field_name="new_password1")

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise forms.ValidationError(self.error_messages["password_unchanged"], code="password_unchanged")
        return new
