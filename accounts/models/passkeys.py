"""The second factors beside the TOTP device.

Passkeys: django-otp-webauthn's credential and attestation, as this project's
own models (the library's documented way to extend them:
``OTP_WEBAUTHN_CREDENTIAL_MODEL`` / ``OTP_WEBAUTHN_ATTESTATION_MODEL``), so a
passkey is tenant data like the rest: reached through ``for_tenant`` and
covered by the tenant-isolation walks. 回復コード: one-time codes for a lost phone."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager
from django_otp_webauthn.models import (
    AbstractWebAuthnAttestation, AbstractWebAuthnCredential, WebAuthnCredentialQuerySet,
)

from kit.tenancy import TenantManager, TenantQuerySet


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


class RecoveryCodes(Device):
    """A user's 回復コード: ten one-time codes for when their phone is gone, a django-otp
    device (accounts.mfa.recovery) so a login proved with one is verified like any other.
    Each code is kept only as a password hash (``RecoveryCode``)."""

    created_at = models.DateTimeField(_("発行日時"), default=timezone.now)

    tenant_path = "user__tenant"
    objects = DeviceManager.from_queryset(TenantQuerySet)()

    class Meta:
        verbose_name = _("回復コード")
        verbose_name_plural = _("回復コード")


class RecoveryCode(models.Model):
    """One 回復コード: its first characters to find it, a password hash of all of it, when used."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    lookup = models.CharField(max_length=8)
    digest = models.CharField(max_length=256)
    used_at = models.DateTimeField(null=True, blank=True)

    tenant_path = "device__user__tenant"
    objects = TenantManager()

    class Meta:
        verbose_name = _("回復コード")
        verbose_name_plural = _("回復コード")
        constraints = [models.UniqueConstraint(fields=["device", "lookup"], name="recovery_code_lookup_unique")]
