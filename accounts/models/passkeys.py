"""Passkeys: django-otp-webauthn's credential and attestation, as this project's
own models (the library's documented way to extend them:
``OTP_WEBAUTHN_CREDENTIAL_MODEL`` / ``OTP_WEBAUTHN_ATTESTATION_MODEL``), so a
passkey is tenant data like the rest: reached through ``for_tenant`` and
covered by the tenant-isolation walks."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import DeviceManager
from django_otp_webauthn.models import (
    AbstractWebAuthnAttestation, AbstractWebAuthnCredential, WebAuthnCredentialQuerySet,
)

from kit.tenancy import TenantQuerySet


class PasskeyQuerySet(WebAuthnCredentialQuerySet, TenantQuerySet):
    pass


class Passkey(AbstractWebAuthnCredential):
    """A user's passkey: a django-otp device beside the TOTP device (accounts.mfa.passkeys)."""

    tenant_path = "user__tenant"
    objects = DeviceManager.from_queryset(PasskeyQuerySet)()

    class Meta(AbstractWebAuthnCredential.Meta):
        verbose_name = _("パスキー")
        verbose_name_plural = _("パスキー")


class PasskeyAttestation(AbstractWebAuthnAttestation):
    """What the authenticator said about itself when the passkey was made (kept for reference)."""

    credential = models.OneToOneField(Passkey, on_delete=models.CASCADE, related_name="attestation",
                                      verbose_name=_("パスキー"), editable=False)

    class Meta(AbstractWebAuthnAttestation.Meta):
        verbose_name = _("パスキーの証明")
        verbose_name_plural = _("パスキーの証明")
