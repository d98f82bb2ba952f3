"""The code step's other ways than the six-digit code: 「パスキーを使う」 and the
回復コード. Each counts exactly as a right code (the login's ``otp_device``); a
wrong 回復コード counts towards the code's own back-off."""

import math

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import events, notices
from accounts.mfa import passkeys, recovery

PASSKEY_ERRORS = {
    "expired": _("パスキーの確認に時間がかかりすぎました。もう一度「パスキーを使う」を押してください。"),
    "invalid": _("パスキーを確認できませんでした。もう一度お試しいただくか、認証コードを入力してください。"),
    "unknown": _("このパスキーは登録されていません（削除または初期化されています）。認証コードを入力してください。"),
    "other_user": _("このパスキーはほかのアカウントのものです。ご自身のパスキーを選ぶか、認証コードを入力してください。"),
    "cloned": _("このパスキーは安全のため使えません。認証コードを入力し、会社の管理者にご連絡ください。"),
}
PASSKEY_ONLY = _("会社の設定により、管理画面にはパスキーでの確認が必要です。「パスキーを使う」を押してください。")
WRONG_RECOVERY = _("回復コードが正しくないか、使用済みです。印刷または保存した回復コードを入力してください。")
MALFORMED_RECOVERY = _("回復コードは英数字16文字です（例: ABCD-EFGH-JKLM-NPQR。ハイフンはなくても構いません）。")

# django-otp's back-off refuses every code, right or wrong, for 2^(n-1) seconds after
# the n-th wrong one in a row; the refused code is not even compared (docs/security.md,
# 「認証コードの試行制限」). Said as it is: one mistake is not 「誤りが続いた」, the wait
# is in seconds, and the code just sent was not judged.
THROTTLED_ONCE = _(
    "直前の認証コードが正しくなかったため、安全のため一時的に入力を受け付けていません"
    "（今回入力されたコードは確認していません）。%(wait)s待ってから、"
    "アプリに表示されている最新のコードでもう一度「認証する」を押してください。"
)
THROTTLED = _(
    "認証コードの誤りが%(count)d回続いたため、安全のため一時的に入力を受け付けていません"
    "（今回入力されたコードは確認していません）。%(wait)s待ってから、"
    "アプリに表示されている最新のコードでもう一度「認証する」を押してください。"
)


def wait_words(seconds: int) -> str:
    """「5 秒」, or past a minute 「約3分（180 秒）」."""
    if seconds < 60:
        return _("%(seconds)d 秒") % {"seconds": seconds}
    return _("約%(minutes)d分（%(seconds)d 秒）") % {"minutes": math.ceil(seconds / 60), "seconds": seconds}


def throttled_error(device) -> forms.ValidationError | None:
    """django-otp's back-off (1, 2, 4 … s) in words with the wait, while it holds ``device``
    (its own error has no code and no wait time). The code's and the 回復コード's."""
    allowed, extra = device.verify_is_allowed() if device is not None else (True, None)
    if allowed:
        return None
    extra = extra or {}
    until = extra.get("locked_until")
    seconds = max(math.ceil((until - timezone.now()).total_seconds()) if until else 1, 1)
    count = extra.get("failure_count") or device.throttling_failure_count
    message = THROTTLED_ONCE if count <= 1 else THROTTLED
    return forms.ValidationError(message, code="throttled", params={"count": count, "wait": wait_words(seconds)})


# 「パスキーを使う」: the browser's signed answer, posted by static/js/passkey.js.
PASSKEY_FIELD = forms.CharField(required=False, widget=forms.HiddenInput, max_length=passkeys.MAX_ANSWER)
RECOVERY_FIELD = forms.CharField(
    label=_("回復コード"), required=False, max_length=40,
    widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                  "placeholder": "ABCD-EFGH-JKLM-NPQR"}))


class OtherFactorsMixin:
    """For the code step's form (``TokenForm``): ``request``; ``other_factor`` names the way
    chosen ("passkey", "recovery" or None: the code); ``method`` the one proved."""

    def __init__(self, user, initial_device, request=None, only_passkey=False, **kwargs):
        super().__init__(user, initial_device, **kwargs)
        self.request = request
        chosen = [name for name in ("passkey", "recovery") if self.data.get(self.add_prefix(name))]
        self.other_factor = chosen[0] if chosen and request is not None else None
        self.only_passkey = only_passkey
        if self.other_factor or only_passkey:
            self.fields["otp_token"].required = False

    @property
    def method(self) -> str:
        return self.other_factor or "code"

    def clean_other_factor(self):
        if self.other_factor == "passkey":
            try:
                self.user.otp_device = passkeys.verify(self.request, self.user, self.cleaned_data.get("passkey", ""))
            except passkeys.Refused as refusal:  # recorded by verify()
                raise forms.ValidationError(PASSKEY_ERRORS.get(refusal.reason, PASSKEY_ERRORS["invalid"]),
                                            code="passkey_" + refusal.reason) from None
            return self.cleaned_data
        return self._clean_recovery()

    def _clean_recovery(self):
        if recovery.normalize(self.cleaned_data.get("recovery", "")) is None:
            # Not a code at all (a typo in its form): said, not counted as a guess.
            raise forms.ValidationError(MALFORMED_RECOVERY, code="malformed_recovery")
        with transaction.atomic():
            app = self._chosen_device(self.user)  # the TOTP device, locked, its back-off capped
            refusal = throttled_error(app)
            used = None if refusal else recovery.use(self.user, self.cleaned_data.get("recovery", ""))
            if used is None and refusal is None:
                refusal = forms.ValidationError(WRONG_RECOVERY, code="invalid_recovery")
                if app is not None:
                    app.throttle_increment()  # counted as a wrong code
        if refusal:
            raise refusal
        self.user.otp_device = used
        left = recovery.state(self.user)["left"]
        notices.mail_event(events.record(self.request, events.Kind.RECOVERY_CODE_USED, user=self.user, left=left))
        return self.cleaned_data
