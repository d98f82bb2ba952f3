"""Forms of the login, the login choice and the code step."""

import math
import time

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from two_factor.forms import AuthenticationTokenForm, TOTPDeviceForm

from accounts.identity import lockout
from accounts.login import hooks
from accounts.sessions import office_ip
from accounts.login.other_factors import (
    PASSKEY_FIELD, PASSKEY_ONLY, RECOVERY_FIELD, OtherFactorsMixin, throttled_error,
)
from accounts.mfa.code_backoff import cap_backoff
from accounts.mfa.otp import CodeField, code_already_used
from accounts.policy import normalize_login_id
from accounts.sessions.state import MODE_FULL, MODE_LIMITED
from accounts.models import User
from accounts.audit.events import Kind
from kit.net import client_ip

INVALID_LOGIN = _(
    "ログインIDまたはパスワードが正しくありません。"
    "続けて間違えた場合は、しばらくログインできなくなります。"
)

# django-axes' lock of the typed ID from this address (accounts.identity.lockout says why
# this is no oracle: an unknown ID meets it after the same failures, and no password is
# checked while it holds).
LOCKED_OUT = _(
    "パスワードの誤りが続いたため、このログインIDでのログインを一時的に制限しています。"
    "%(until)s 以降（あと約%(minutes)d分）に、もう一度ログインしてください。"
    "急ぐ場合は、会社の管理者に制限の解除を依頼してください。"
)

OUTSIDE_OFFICE = _(
    "社外からのアクセスは会社の設定により制限されています。"
    "社内のネットワークから接続するか、会社の管理者にお問い合わせください。"
)

PASSWORD_MAX_LENGTH = 128
PASSWORD_TOO_LONG = _("パスワードは%(limit_value)d文字以内で入力してください。")


def limit_password_length(field) -> None:
    """At most PASSWORD_MAX_LENGTH characters, said plainly; no ``maxlength`` attribute,
    which would silently cut a pasted password."""
    field.max_length = PASSWORD_MAX_LENGTH
    field.error_messages["max_length"] = PASSWORD_TOO_LONG
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH, message=PASSWORD_TOO_LONG))
    field.widget.attrs.pop("maxlength", None)


TEMPORARY_PASSWORD_EXPIRED = _(
    "仮パスワードの有効期限が切れています。会社の管理者に新しい仮パスワードの発行を依頼してください。"
)


class LoginForm(AuthenticationForm):
    """ID + password. One message for every failure, so IDs cannot be enumerated.

    「このブラウザを信頼する」 keeps this browser's trust after logging out
    (accounts.identity.known_browsers); unticked, logging out drops it."""

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }
    trust_browser = forms.BooleanField(label=_("このブラウザを信頼する"), required=False)

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("ログインID")
        username.max_length = 100
        username.widget.attrs.update({
            "autocomplete": "username", "autocapitalize": "characters",
            "spellcheck": "false", "maxlength": 20, "placeholder": "A1234567",
        })
        username.error_messages["required"] = _("ログインIDを入力してください。")
        password = self.fields["password"]
        password.label = _("パスワード")
        limit_password_length(password)
        password.widget.attrs.update({"autocomplete": "current-password"})
        password.error_messages["required"] = _("パスワードを入力してください。")
        trust = self.fields["trust_browser"]
        trust.widget.attrs["aria-describedby"] = "trust-browser-help"
        trust.help_text = _(
            "ログアウトしても%(days)d日間、このブラウザを本人の端末として扱います。"
            "共用のパソコンではチェックしないでください。") % {"days": settings.LOGIN_KNOWN_BROWSER_DAYS}

    def clean_username(self):
        return normalize_login_id(self.cleaned_data["username"])

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and lockout.closed_to(self.request, username):
            # Same message, same hashing cost as a wrong password.
            lockout.record_lockout(self.request, login_id=username, reason=lockout.CEILING,
                                   password=self.cleaned_data.get("password"))
            raise self.get_invalid_login_error()
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):  # set by django-axes, typed ID + address
                raise self.locked_out_error(username) from None
            if getattr(self.request, "temporary_password_expired", False):  # set by LoginIdBackend
                raise forms.ValidationError(TEMPORARY_PASSWORD_EXPIRED, code="temporary_password_expired")
            raise
        # 社外からのアクセス制限, only once the password is known to be right: a wrong
        # password reads as above, so the page never tells which IDs are restricted.
        user = self.get_user()
        if user is not None and not office_ip.login_decision(user, self.request).allowed:
            office_ip.record_login_refused(self.request, user)
            raise forms.ValidationError(OUTSIDE_OFFICE, code="office_ip")
        # The company requires single sign-on (the sso app's hook): said only after the
        # right password, so the page tells nothing about an ID to whoever guesses.
        refused = hooks.password_refused(self.request, user) if user is not None else None
        if refused:
            raise forms.ValidationError(refused, code="single_sign_on_required")
        return cleaned

    def locked_out_error(self, login_id):
        if lockout.failures_across_addresses(login_id) >= settings.LOGIN_ID_FAILURE_CEILING:
            # Past the ceiling an unknown ID is refused before django-axes sees it, with the
            # wrong-password message; a real one reaching axes at its own address must read
            # the same, or the lock message would tell which IDs exist.
            return self.get_invalid_login_error()
        until = lockout.locked_until(login_id, client_ip(self.request))
        until = until or timezone.now() + settings.AXES_COOLOFF_TIME  # (a lock lifted this instant)
        minutes = max(math.ceil((until - timezone.now()).total_seconds() / 60), 1)
        return forms.ValidationError(LOCKED_OUT, code="locked_out", params={
            "until": date_format(localtime(until), "H:i"), "minutes": minutes})


class ChoiceForm(forms.Form):
    """二要素認証 ログイン選択 (B-IDs only). ``limited_only``: outside a restricted
    company's addresses with its exception on, only the limited mode is offered."""

    mode = forms.ChoiceField(
        choices=[(MODE_FULL, _("すべての機能を利用する")),
                 (MODE_LIMITED, _("就業打刻・明細閲覧のみ利用する"))],
        error_messages={"required": _("利用する範囲を選んでください。"),
                        "invalid_choice": _("利用する範囲を選んでください。")},
    )

    def __init__(self, *args, limited_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limited_only = limited_only
        if limited_only:
            mode = self.fields["mode"]
            mode.choices = [(MODE_LIMITED, _("就業打刻・明細閲覧のみ利用する"))]
            mode.error_messages["invalid_choice"] = _(
                "社外からは会社の設定により「就業打刻・明細閲覧のみ利用する」だけを選べます。")


OTP_ERRORS = {
    "token_required": _("6桁の認証コードを入力してください。"),
    "invalid_token": _("認証コードが正しくありません。アプリに表示されている最新のコードを入力してください。"),
    "used_token": _("この認証コードは使用済みです。次のコードが表示されてから入力してください。"),
    # Never reached: ``throttled_error`` says the back-off first, with its wait.
    "n_failed_attempts": _("現在、認証コードを確認できません。少し待ってからもう一度お試しください。"),
    "verification_not_allowed": _("現在、認証コードを確認できません。少し待ってからもう一度お試しください。"),
    "device_required": _("2要素認証が設定されていません。"),
    "challenge_exception": _("認証コードを確認できません。"),
    "not_interactive": _("認証コードを確認できません。"),
    "challenge_message": _("認証コードを確認できません。"),
}


class TokenForm(OtherFactorsMixin, AuthenticationTokenForm):
    """The code step, verified atomically.

    django-otp's ``verify_token`` reads the device, compares and writes
    ``last_t`` and the throttling counters; two requests carrying the same
    code (or concurrent wrong guesses) could both read the old row.
    ``clean_otp`` already runs in a transaction, so the device is re-read
    here with ``select_for_update`` (``Device.from_persistent_id(...,
    for_verify=True)``): on PostgreSQL the row lock serialises verification,
    on SQLite the IMMEDIATE transaction does. A code is accepted once per
    time step and every failure is counted.
    """

    otp_token = CodeField()
    passkey = PASSKEY_FIELD
    recovery = RECOVERY_FIELD
    otp_error_messages = OTP_ERRORS

    def clean(self):
        if self.only_passkey and self.other_factor != "passkey":  # the console of a company that requires one
            raise forms.ValidationError(PASSKEY_ONLY, code="passkey_required")
        if self.other_factor:
            return self.clean_other_factor()
        if self.has_error("otp_token"):
            # A malformed code is not a guess: one error, nothing verified or counted.
            return self.cleaned_data
        return super().clean()

    def _verify_token(self, user, token, device=None):
        throttled = throttled_error(device)
        if throttled:
            raise throttled
        try:
            return super()._verify_token(user, token, device)
        except forms.ValidationError as error:
            # Refused as django-otp refuses it (and counted for its back-off), but
            # said truthfully when the code was right and only already used.
            if error.code == "invalid_token" and code_already_used(device, token):
                raise forms.ValidationError(self.otp_error_messages["used_token"], code="used_token") from error
            raise

    def failure_kind(self):
        """The security event a rejected code means: a wrong guess (a 回復コード too), a
        throttled one, or none (a refused passkey is recorded where it is checked)."""
        codes = {e.code for e in self.non_field_errors().as_data()}
        if "throttled" in codes:
            return Kind.CODE_THROTTLED
        if codes & {"invalid_token", "used_token", "invalid_recovery"}:
            return Kind.CODE_FAILURE
        return None

    def _chosen_device(self, user):
        device = self.initial_device
        if device is None:
            return None
        locked = Device.from_persistent_id(device.persistent_id, for_verify=True)
        if locked is None or locked.user_id != user.pk:
            return None
        cap_backoff(locked)  # the one instance that verifies: its back-off stops doubling at the cap
        return locked


class SetupForm(TOTPDeviceForm):
    """The first code from a new secret; setup completes only with it."""

    token = CodeField()
    error_messages = {"invalid_token": OTP_ERRORS["invalid_token"]}

    def __init__(self, key, user, metadata=None, **kwargs):  # the library reads this signature
        super().__init__(key, user, metadata, **kwargs)
        if not self.is_bound:
            # The code comes last on the setup page: focusing it on load would scroll
            # the QR code out of sight (FAQ ⑤). After a wrong code it is focused.
            self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_token(self):
        self.cleaned_data["token"] = int(self.cleaned_data["token"])
        token = super().clean_token()
        # The time step of the code just accepted, taken after the check so it is
        # never earlier than the step the library matched.
        self.used_t = int(time.time() - self.t0) // self.step + self.drift
        return token

    def save(self):
        """Create the device and burn the setup code, unless another request already did.

        Returns None when a concurrent setup of the same user finished first: its
        secret is the one saved, and this request's code proved nothing about it.
        """
        from django.db import transaction
        from django_otp.plugins.otp_totp.models import TOTPDevice

        with transaction.atomic():
            User.objects.select_for_update().filter(pk=self.user.pk).first()
            if TOTPDevice.objects.filter(user=self.user, confirmed=True).exists():
                return None
            device = super().save()
            # The code just used for setup cannot be used again to log in.
            device.last_t = self.used_t
            device.save(update_fields=["last_t"])
            return device
