"""2FA setup (初期設定): QR code, setup key, and the first code (FAQ ⑤⑦⑧⑨)."""

from base64 import b32encode

from django.contrib import messages
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from two_factor.views import SetupView as TwoFactorSetupView

from accounts.audit import events
from kit.access import Access, access, url_with_next
from accounts.mfa.otp import qr_svg, user_device
from accounts.sessions.state import mark_full, reached_level
from .verify import next_path

SETUP_KEY_SESSION_KEY = "netdekomon_setup_key"


@access(Access.LOGIN)
@method_decorator(sensitive_post_parameters(), name="dispatch")  # the first code: never in an error report
class SetupView(TwoFactorSetupView):
    """django-two-factor-auth's setup wizard with our QR, URI and forms.

    The secret is made once per setup attempt and kept in the session, so a
    reload shows the same key (``get_key``); the QR image is rendered inline
    for every response, which carries ``Cache-Control: no-store``
    (``never_cache``). A user who has a device never sees a secret here.
    """

    template_name = "accounts/setup.html"
    form_list = (("method", TwoFactorSetupView.form_list[1][1]),)
    success_url = "portal:home"
    # The QR code is inline; the library's separate QR URL is not served.
    qrcode_url = "accounts:setup"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_device(request.user) is not None:
            # Never show or replace an existing secret here: resetting is its own path.
            request.session.pop(SETUP_KEY_SESSION_KEY, None)
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_key(self, step):
        # The wizard forgets its data on every GET, so the library would make a
        # new secret on each reload; a phone browser reloading the tab after the
        # user typed the key into the app would then reject every code. The
        # secret of this setup attempt lives in the session until setup is done.
        key = self.request.session.get(SETUP_KEY_SESSION_KEY)
        if not key:
            key = random_hex(20)
            self.request.session[SETUP_KEY_SESSION_KEY] = key
        self.storage.extra_data.setdefault("keys", {})[step] = key
        return key

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == "generator":
            device = TOTPDevice(user=self.request.user, key=self.get_key("generator"))  # not saved
            b32key = b32encode(device.bin_key).decode().rstrip("=")
            # django-otp percent-encodes the label's colon; authenticators that split the
            # label before decoding it (pyotp, some extensions) would then show no issuer
            # prefix (FAQ ⑦). The issuer has no colon of its own (django-otp drops them).
            uri = device.config_url.replace("%3A", ":", 1)
            context.update({
                "otpauth_url": uri,
                "qr_svg": qr_svg(uri),
                "secret_key": b32key,
                "secret_key_groups": " ".join(b32key[i:i + 4] for i in range(0, len(b32key), 4)),
                "next": self.get_redirect_url(),
                "cancel_to_portal": reached_level(self.request) >= Access.LIMITED,
            })
            context.pop("QR_URL", None)
        return context

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        self.request.session.pop(SETUP_KEY_SESSION_KEY, None)
        if not self.request.user.is_verified():
            # A concurrent setup of this user finished first (SetupForm.save()
            # returned None): its secret is the one in use, so ask for its code.
            messages.info(self.request, _("2要素認証は既に設定されています。認証コードを入力してください。"))
            return redirect(url_with_next(reverse("accounts:verify"), self.get_success_url()))
        mark_full(self.request, self.request.user.otp_device)
        events.record(self.request, events.Kind.SETUP, user=self.request.user)
        messages.success(self.request, _("2要素認証の設定が完了しました。"))
        return response

    def get_redirect_url(self):
        return next_path(self.request)

    def get_success_url(self):
        return self.get_redirect_url() or resolve_url(self.success_url)
