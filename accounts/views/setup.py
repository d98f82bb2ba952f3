"""2FA setup (初期設定): QR code, setup key, and the first code (FAQ ⑤⑦⑧⑨)."""

from base64 import b32encode
from binascii import unhexlify

from django.contrib import messages
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from two_factor.views import SetupView as TwoFactorSetupView

from .. import events
from ..access import MODE_FULL, MODE_SESSION_KEY, Access, access
from ..otp import otpauth_uri, qr_svg, user_device


@access(Access.LOGIN)
class SetupView(TwoFactorSetupView):
    """django-two-factor-auth's setup wizard with our QR, URI and forms.

    The secret is made once per setup attempt and kept in the session, so a
    reload shows the same key; the QR image is rendered inline for every
    response, which carries ``Cache-Control: no-store`` (``never_cache``).
    """

    template_name = "accounts/setup.html"
    form_list = (("method", TwoFactorSetupView.form_list[1][1]),)
    success_url = "portal:home"
    # The QR code is inline; the library's separate QR URL is not served.
    qrcode_url = "accounts:setup"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_device(request.user) is not None:
            # Never show or replace an existing secret here: resetting is its own path.
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == "generator":
            b32key = b32encode(unhexlify(self.get_key("generator"))).decode().rstrip("=")
            uri = otpauth_uri(account=self.request.user.login_id, b32_secret=b32key)
            context.update({
                "otpauth_url": uri,
                "qr_svg": qr_svg(uri),
                "secret_key": b32key,
                "secret_key_groups": " ".join(b32key[i:i + 4] for i in range(0, len(b32key), 4)),
                "next": self.get_redirect_url(),
            })
            context.pop("QR_URL", None)
        return context

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        self.request.session.cycle_key()
        self.request.session[MODE_SESSION_KEY] = MODE_FULL
        events.record(self.request, events.Kind.SETUP, user=self.request.user)
        messages.success(self.request, _("2要素認証の設定が完了しました。"))
        return response

    def get_success_url(self):
        return self.get_redirect_url() or resolve_url(self.success_url)
