"""TOTP: the device, the QR code and the code field (the otpauth:// URI is
django-otp's ``TOTPDevice.config_url``).

The only second factor is django-otp's ``TOTPDevice`` (RFC 6238: SHA1,
6 digits, 30 s, 20-byte secret) as used by Google Authenticator and the
Authenticator browser extension (FAQ ①②).
"""

import re
import time
import unicodedata

import qrcode
import qrcode.constants
from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

_DEVICE_CACHE = "_netdekomon_device"

# What the authenticators show: "123456" (extension) or "123 456" (Google
# Authenticator). Full-width digits and spaces are what Japanese IMEs type.
_CODE_RE = re.compile(r"^(\d{6}|\d{3} \d{3})$", re.ASCII)


def user_device(user):
    """The user's confirmed TOTP device, or None. One query, cached on the user."""
    if not user or not user.is_authenticated:
        return None
    if not hasattr(user, _DEVICE_CACHE):
        verified = getattr(user, "otp_device", None)
        if isinstance(verified, TOTPDevice):
            device = verified
        else:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        setattr(user, _DEVICE_CACHE, device)
    return getattr(user, _DEVICE_CACHE)


def user_devices_remove(user) -> int:
    """Remove every 2FA device of ``user`` (confirmed or not); returns how many.

    The one way devices go (2FA reset, 退職, reactivation): the next login
    starts a fresh setup with a new secret.
    """
    from django_otp import devices_for_user

    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    if hasattr(user, _DEVICE_CACHE):
        delattr(user, _DEVICE_CACHE)
    return removed


def code_already_used(device, token: str) -> bool:
    """The code is right but its time step was already used (``last_t``).

    django-otp refuses a code whose step is not after ``last_t`` exactly as it
    refuses a wrong one; this tells them apart afterwards, with the same
    window as django-otp's check, so the user can be told to wait for the
    next code instead of being told the code is wrong.
    """
    from django_otp.oath import TOTP

    if not isinstance(device, TOTPDevice) or not str(token).isdigit():
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() <= device.last_t and totp.token() == int(token):
            return True
    return False


def normalize_code(value) -> str | None:
    """"１２３ ４５６" → "123456"; None when it is not a 6-digit code as the apps show it."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if len(text) > 16 or not _CODE_RE.fullmatch(text):
        return None
    return text.replace(" ", "")


class CodeField(forms.CharField):
    """The 6-digit code, with the attributes browsers and password managers expect."""

    default_error_messages = {
        "required": _("6桁の認証コードを入力してください。"),
        "invalid": _("認証コードは6桁の数字で入力してください。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("認証コード（6桁）"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "autofocus": True,
            "maxlength": 7,
            "pattern": r"[0-9０-９ ]*",
            "placeholder": "123456",
            "class": "code-input",
        }))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        code = normalize_code(value)
        if code is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return code


def qr_svg(data: str) -> str:
    """An inline SVG QR code with its 4-module quiet zone, scalable to any width.

    qrcode finds the modules (and the mask that reads best); each run of dark modules on
    a row is one rectangle of the path. qrcode's own SVG writer drew every module as a
    square of its own: a third of the time of the setup page's QR, and twice the bytes."""
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()  # the quiet zone included
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start},{y}H{x}V{y + 1}H{start}z")
    return (f'<svg class="qr" role="img" aria-label="QR" viewBox="0 0 {size} {size}" '
            f'xmlns="http://www.w3.org/2000/svg"><rect fill="#fff" width="100%" height="100%"/>'
            f'<path d="{"".join(runs)}" fill="#000"/></svg>')
