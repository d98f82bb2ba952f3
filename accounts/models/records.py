"""What is kept about a user's logins: security events, open sessions, known
browsers, and uploads waiting for their confirmation."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import event_kinds
from accounts.models.companies import Tenant
from accounts.models.people import User
from kit.tenancy import TenantManager


class SecurityEvent(models.Model):
    """Something security-relevant that happened to an account. Never holds a secret."""

    # The kinds and their facts: accounts.event_kinds (the column has no choices,
    # so a new kind needs no migration).
    Kind = event_kinds.Kind

    created_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    kind = models.CharField(_("種類"), max_length=30)
    tenant = models.ForeignKey(Tenant, verbose_name=_("会社"), on_delete=models.CASCADE,
                               null=True, blank=True, related_name="+")
    user = models.ForeignKey(User, verbose_name=_("対象ユーザー"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="security_events")
    actor = models.ForeignKey(User, verbose_name=_("操作者"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    login_id = models.CharField(_("ログインID"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    user_agent = models.CharField(_("ユーザーエージェント"), max_length=300, blank=True)
    # The kind's typed facts (accounts.event_kinds.KINDS); never a code, secret or password.
    data = models.JSONField(_("内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The free text of events recorded before ``data`` (kept as it was written).
    detail = models.CharField(_("詳細"), max_length=200, blank=True)

    tenant_path = "tenant"
    objects = TenantManager()

    class Meta:
        verbose_name = _("セキュリティログ")
        verbose_name_plural = _("セキュリティログ")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "-created_at"])]

    def __str__(self):  # the console's title and breadcrumb: the local time, as in the 日時 beside it
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.get_kind_display()} {self.login_id}"

    def get_kind_display(self) -> str:
        return event_kinds.label(self.kind)


class UserSession(models.Model):
    """One open login session of a user, keyed by its session key (accounts.sessions.user_sessions).

    Written at the login and on the session's throttled activity update; the
    row goes when the session ends. Shown to the user (ログイン中の端末) and to
    their company administrators."""

    session_key = models.CharField(_("セッションキー"), max_length=40, unique=True)
    user = models.ForeignKey(User, verbose_name=_("ユーザー"), on_delete=models.CASCADE,
                             related_name="login_sessions")
    created_at = models.DateTimeField(_("ログイン日時"), default=timezone.now)
    last_seen = models.DateTimeField(_("最終操作"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    user_agent = models.CharField(_("ユーザーエージェント"), max_length=300, blank=True)
    mode = models.CharField(_("利用範囲"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("ログイン中の端末")
        verbose_name_plural = _("ログイン中の端末")
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "-last_seen"])]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class ImportPreview(models.Model):
    """An uploaded file between its preview and its confirmation (accounts.people.import_previews).

    Kept in the database, not the session: a 20,000-row file costs the
    session nothing, only its owner can confirm it, and only once (the
    confirmation is a conditional UPDATE of ``confirmed_at``). The file's
    bytes are dropped when it is confirmed; the row goes when it expires.
    """

    class Kind(models.TextChoices):
        EMPLOYEES = "employees", _("従業員の一括登録")
        PAYSLIPS = "payslips", _("明細登録")

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=100)
    data = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("取り込みの確認待ち")
        verbose_name_plural = _("取り込みの確認待ち")

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"


class KnownBrowser(models.Model):
    """A browser where ``user`` completed a login: one token of its signed known-browser
    cookie (accounts.identity.known_browsers). Worth something only while ``credentials`` match
    the user's, it is young enough and few wrong passwords came with it."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_browsers")
    # An HMAC over the password hash and session stamp at the login (known_browsers.credentials).
    credentials = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    failures = models.PositiveIntegerField(default=0)
    # 「このブラウザを信頼する」 was ticked: logging out keeps it.
    kept = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("信頼済みのブラウザ")
        verbose_name_plural = _("信頼済みのブラウザ")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
