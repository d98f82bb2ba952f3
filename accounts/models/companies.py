"""The client companies and what each decides for all its users."""

import ipaddress
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kit.tenancy import TenantManager


def _new_cache_version() -> int:
    # Random start: a company created with the id of a deleted one (SQLite
    # reuses ids) never meets what was cached for the old one.
    return secrets.randbelow(2**62)


class Tenant(models.Model):
    """A client company (顧問先)."""

    code = models.CharField(
        _("会社コード"), max_length=30, unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]{1,29}$",
                                   _("会社コードは半角英小文字・数字・-・_ の2〜30文字です。"))],
    )
    name = models.CharField(_("会社名"), max_length=100)
    # Where an employee who is stuck turns (the help, 「パスワードを忘れた場合」, the slips);
    # the company administrator sets it in the console (accounts.console.contact).
    contact = models.TextField(
        _("問い合わせ先"), max_length=300, blank=True,
        help_text=_("従業員が困ったときの連絡先です（例: 総務部 山田 内線123・soumu@example.co.jp）。"
                    "よくあるご質問、ログイン画面の「パスワードを忘れた場合」、ログイン情報のお知らせに表示されます。"))
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    # Names the company's state kept in the shared cache (its licence set):
    # raised with every change of that state, in the change's transaction, so
    # a cached copy of an older state is never asked for (accounts.shared_cache).
    cache_version = models.PositiveBigIntegerField(default=_new_cache_version, db_default=0, editable=False)
    # 従業員の一括登録's 列の対応, remembered for the next file: {a column title as
    # ``kit.japanese.plain_header`` writes it: a field's key, or "" to leave the column out}.
    employee_import_columns = models.JSONField(default=dict, blank=True, editable=False)

    tenant_path = "pk"
    objects = TenantManager()

    class Meta:
        verbose_name = _("会社")
        verbose_name_plural = _("会社")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CompanySetting(models.Model):
    """What one company decided for all its users, and who last changed it (the console's pages)."""

    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新者"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    tenant_path = "tenant"
    objects = TenantManager()

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.tenant_id)


class TenantAccessRule(CompanySetting):
    """社外からのアクセス制限 of one company (decided in ``accounts.sessions.office_ip``).

    When ``enabled``, the company's users log in and use the service only
    from ``allowed_networks``; with ``limited_anywhere`` a B-ID may use the
    limited mode from anywhere. Operators are never restricted."""

    MAX_NETWORKS = 100

    tenant = models.OneToOneField(Tenant, verbose_name=_("会社"), on_delete=models.CASCADE,
                                  related_name="access_rule")
    enabled = models.BooleanField(_("社外からのアクセスを制限する"), default=False)
    # Normalised (accounts.sessions.office_ip.parse_networks), one address or CIDR range a line.
    allowed_networks = models.TextField(_("アクセスを許可するIPアドレス"), blank=True)
    limited_anywhere = models.BooleanField(_("就業打刻・明細閲覧は社外からも許可する"), default=False)

    class Meta:
        verbose_name = _("社外からのアクセス制限")
        verbose_name_plural = _("社外からのアクセス制限")

    @property
    def network_lines(self) -> list[str]:
        return [line for line in self.allowed_networks.splitlines() if line.strip()]

    def networks(self):
        """The parsed networks, parsed once per instance (a request's rule is parsed once)."""
        cached = getattr(self, "_networks", None)
        if cached is None or cached[0] != self.allowed_networks:
            cached = (self.allowed_networks,
                      [ipaddress.ip_network(line, strict=False) for line in self.network_lines])
            self._networks = cached
        return cached[1]


class TenantLoginPolicy(CompanySetting):
    """How the company's users may log in beyond the FAQ's rules (the console's ログインの設定).

    ``passwordless``: 「パスキーでログイン」 — a passkey that verified its user
    (fingerprint, face, PIN) is the whole login, ID, password and code in one
    step. Off by default. ``recovery_codes``: employees may issue themselves 回復コード
    for a lost phone (on by default). ``admins_need_passkey``: the company's
    administrators open the console only in a session verified with a passkey
    (the highest-value accounts get the phishing-resistant factor; off by default)."""

    tenant = models.OneToOneField(Tenant, verbose_name=_("会社"), on_delete=models.CASCADE,
                                  related_name="login_policy")
    passwordless = models.BooleanField(_("パスキーだけでのログインを許可する"), default=False)
    recovery_codes = models.BooleanField(_("回復コードを使えるようにする"), default=True)
    admins_need_passkey = models.BooleanField(_("会社管理者は管理画面でパスキーでの確認を必須にする"), default=False)
    # When it was turned on: a passkey registered before counts at once, a later one after
    # PASSKEY_SETTLE_HOURS (accounts.console.guards).
    passkey_required_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ログインの設定")
        verbose_name_plural = _("ログインの設定")
