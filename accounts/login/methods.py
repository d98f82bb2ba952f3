from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.plugins.registry import GeneratorMethod
from accounts.login.forms import SetupForm, TokenForm


class TOTPMethod(GeneratorMethod):
    """django-two-factor-auth's generator method with this product's forms."""

    verbose_name = _("認証アプリ（Google Authenticator / Authenticator）")

    def recognize_device(self, device):
        return isinstance(device, TOTPDevice)

    def get_setup_forms(self, *args):
        return {"generator": SetupForm}

    def get_token_form_class(self):
        return TokenForm
