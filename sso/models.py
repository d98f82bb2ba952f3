"""The tables of single sign-on: each company's connection to its identity provider
(``SsoSettings``), this service's own key pair for that company (``ServiceKey``), the
assertion IDs already accepted (``ConsumedAssertion``: each once, by a unique
constraint) and the provider's login standing in for our second factor (``SsoDevice``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from accounts.models import Tenant

NAME_ID = ""  # the login ID is read from the NameID (no attribute named)

# Whether our own second factor follows the provider's login.
SECOND_FACTOR_UNLESS_MFA = "unless_mfa"
SECOND_FACTOR_ALWAYS = "always"
SECOND_FACTOR_NEVER = "never"


class SsoSettings(models.Model):
    """シングルサインオン of one company. Off until its administrator turns it on."""

    tenant = models.OneToOneField(Tenant, verbose_name=_("会社"), on_delete=models.CASCADE,
                                  related_name="sso_settings")
    enabled = models.BooleanField(_("シングルサインオンを使う"), default=False)
    idp_metadata = models.TextField(_("IDプロバイダのメタデータ（XML）"), blank=True)
    idp_metadata_url = models.URLField(_("メタデータのURL"), blank=True)
    idp_entity_id = models.CharField(_("IDプロバイダのエンティティID"), max_length=500, blank=True, editable=False)
    id_attribute = models.CharField(
        _("ログインIDを含む属性"), max_length=200, blank=True, default=NAME_ID,
        help_text=_("空欄のときは NameID を使います。"))
    id_is_email = models.BooleanField(
        _("属性の値はメールアドレス"), default=False,
        help_text=_("メールアドレスは、この会社の従業員のメールアドレスとだけ照合します。"))
    a_ids_require_sso = models.BooleanField(_("A-IDはシングルサインオンでのみログインできる"), default=False)
    second_factor = models.CharField(
        _("シングルサインオン後の2要素認証"), max_length=20, default=SECOND_FACTOR_UNLESS_MFA, choices=[
            (SECOND_FACTOR_UNLESS_MFA, _("IDプロバイダが多要素認証をした場合を除き、認証コードを求める")),
            (SECOND_FACTOR_ALWAYS, _("常に認証コードを求める")),
            (SECOND_FACTOR_NEVER, _("求めない（IDプロバイダの認証に任せる）"))])
    break_glass = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("IDプロバイダの障害時にパスワードでログインできる会社管理者"),
        blank=True, related_name="+")
    tested_at = models.DateTimeField(_("接続テストの成功"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新者"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    # No tenant_path: never listed or opened by id; the console's page and the login read the
    # company's own row by ``request.user.tenant`` / the URL's company (tests/security/test_tenant_isolation.py).

    class Meta:
        verbose_name = _("シングルサインオン")
        verbose_name_plural = _("シングルサインオン")

    def __str__(self):
        return str(self.tenant)


class ServiceKey(models.Model):
    """This service's key pair towards one company's provider, made at first use."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="+")
    private_key = models.TextField()  # PEM; never shown, never logged
    certificate = models.TextField()  # PEM; shown in the console to copy into the provider
    created_at = models.DateTimeField(default=timezone.now)


class ConsumedAssertion(models.Model):
    """An assertion ID already accepted: the unique constraint refuses it a second time."""

    assertion_id = models.CharField(max_length=200)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    consumed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assertion_id"], name="sso_assertion_once")]


class SsoDevice(Device):
    """The provider's login as the session's second factor (django-otp's verified device):
    only where the company lets the provider's multi-factor login stand for our code.
    It verifies no token: the assertion was the proof."""

    def verify_token(self, token):
        return False

    class Meta(Device.Meta):
        verbose_name = _("シングルサインオン")
