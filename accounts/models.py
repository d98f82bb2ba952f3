import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import event_kinds
from accounts import policy
from kit.tenancy import TenantManager, TenantQuerySet
from accounts.hashers import temporary_password_hash


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
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    # Names the company's state kept in the shared cache (its licence set):
    # raised with every change of that state, in the change's transaction, so
    # a cached copy of an older state is never asked for (accounts.shared_cache).
    cache_version = models.PositiveBigIntegerField(default=_new_cache_version, db_default=0, editable=False)

    tenant_path = "pk"
    objects = TenantManager()

    class Meta:
        verbose_name = _("会社")
        verbose_name_plural = _("会社")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


# Unambiguous characters for temporary passwords read aloud or from paper.
_TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


class UserQuerySet(TenantQuerySet):
    def by_login_id(self, login_id: str):
        """The user of a typed login ID: case, full-width and look-alikes folded."""
        return self.filter(login_key=policy.login_id_key(login_id))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, login_id):
        # The password step decides on the company's 社外からのアクセス制限 next: one query.
        return self.by_login_id(login_id).select_related("tenant", "tenant__access_rule").get()

    def create_user(self, login_id, password=None, **extra):
        user = self.model(login_id=login_id, **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, login_id, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(login_id, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An employee, company administrator or operator, identified by login ID."""

    login_id = models.CharField(
        _("ログインID"), max_length=20, unique=True, validators=[policy.validate_login_id],
        help_text=_("A または B で始まる半角英数字。A はログインのたびに認証コードが必要、B はログイン時に利用範囲を選べます。"),
    )
    login_key = models.CharField(_("照合用ログインID"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("会社"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="users",
    )
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(
        _("管理者"), default=False, help_text=_("管理画面にログインできます。")
    )
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)
    password_is_temporary = models.BooleanField(_("仮パスワード"), default=False)
    password_expires_at = models.DateTimeField(_("仮パスワード有効期限"), null=True, blank=True)
    # Part of the session auth hash: changing it ends every session of the
    # user, as a password change does (used by the 2FA reset).
    session_stamp = models.CharField(max_length=32, default="", editable=False)
    # Who registered the account (console, import): segregation of duties
    # (accounts.audit.duties). Empty for accounts made by a command or before it was kept.
    created_by = models.ForeignKey("self", verbose_name=_("登録した管理者"), on_delete=models.SET_NULL,
                                   null=True, blank=True, editable=False, related_name="+")

    tenant_path = "tenant"
    objects = UserManager()

    USERNAME_FIELD = "login_id"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")
        ordering = ["login_id"]

    def __str__(self):
        return f"{self.login_id} {self.name}".strip()

    def clean(self):
        super().clean()
        self.login_id = policy.normalize_login_id(self.login_id)
        self.login_key = policy.login_id_key(self.login_id)
        if self.login_id and User.objects.exclude(pk=self.pk).filter(login_key=self.login_key).exists():
            from django.core.exceptions import ValidationError
            raise ValidationError(
                {"login_id": _("このログインIDは既に使われているか、よく似たIDが既にあります。")}
            )

    def validate_unique(self, exclude=None):
        # A duplicate login_key is reported on login_id by clean(), in words.
        super().validate_unique(exclude={*(exclude or ()), "login_key"})

    def save(self, *args, **kwargs):
        self.login_id = policy.normalize_login_id(self.login_id)
        self.login_key = policy.login_id_key(self.login_id)
        super().save(*args, **kwargs)

    def set_temporary_password(self, raw_password: str | None = None) -> str:
        """A temporary password (a new random one unless given), expiring after
        TEMPORARY_PASSWORD_DAYS; returned to be shown once. Saved by the caller."""
        if raw_password:
            self.set_password(raw_password)  # chosen, not random: the full hasher
        else:
            raw_password = "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(14))
            # Fast to store, safe for a random secret (hashers.py).
            self.password = temporary_password_hash(raw_password)
            self._password = raw_password
        self.password_is_temporary = True
        self.password_expires_at = timezone.now() + timedelta(days=settings.TEMPORARY_PASSWORD_DAYS)
        return raw_password

    def get_session_auth_hash(self):
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "accounts.User.get_session_auth_hash", f"{self.password}:{self.session_stamp}",
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self):
        """Invalidate every session of this user (saved by the caller)."""
        from django.utils.crypto import get_random_string

        self.session_stamp = get_random_string(32)

    def get_full_name(self):
        return self.name or self.login_id

    def get_short_name(self):
        return self.name or self.login_id

    @property
    def is_operator(self) -> bool:
        return self.is_superuser and self.tenant_id is None

    @property
    def may_use_limited_mode(self) -> bool:
        return policy.may_use_limited_mode(self)

    @property
    def temporary_password_expired(self) -> bool:
        return bool(
            self.password_is_temporary
            and self.password_expires_at
            and self.password_expires_at <= timezone.now()
        )


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

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.login_id}"

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


class TenantAccessRule(models.Model):
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
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)
    updated_by = models.ForeignKey(User, verbose_name=_("更新者"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    tenant_path = "tenant"
    objects = TenantManager()

    class Meta:
        verbose_name = _("社外からのアクセス制限")
        verbose_name_plural = _("社外からのアクセス制限")

    def __str__(self):
        return str(self.tenant_id)

    @property
    def network_lines(self) -> list[str]:
        return [line for line in self.allowed_networks.splitlines() if line.strip()]

    def networks(self):
        """The parsed networks, parsed once per instance (a request's rule is parsed once)."""
        cached = getattr(self, "_networks", None)
        if cached is None or cached[0] != self.allowed_networks:
            import ipaddress

            cached = (self.allowed_networks,
                      [ipaddress.ip_network(line, strict=False) for line in self.network_lines])
            self._networks = cached
        return cached[1]


class ImportPreview(models.Model):
    """An uploaded file between its preview and its confirmation (accounts/import_previews.py).

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
