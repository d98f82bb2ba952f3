"""The people who log in: employees, company administrators and operators."""

import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.hashers import temporary_password_hash
from accounts.models.companies import Tenant
from kit.japanese import katakana
from kit.tenancy import TenantQuerySet


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
        return self.by_login_id(login_id).select_related("tenant", "tenant__access_rule", "tenant__login_policy").get()

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
    # The employee master (社員番号 unique per company when given; フリガナ kept in full-width katakana).
    employee_number = models.CharField(_("社員番号"), max_length=20, blank=True, default="")
    furigana = models.CharField(_("フリガナ"), max_length=100, blank=True, default="",
                                help_text=_("ひらがな・半角カナで入力しても全角カタカナで登録します。"))
    department = models.CharField(_("部署"), max_length=100, blank=True, default="")
    job_title = models.CharField(_("役職"), max_length=100, blank=True, default="")
    hired_on = models.DateField(_("入社日"), null=True, blank=True)
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
        constraints = [models.UniqueConstraint(
            fields=["tenant", "employee_number"], condition=~models.Q(employee_number=""),
            name="user_employee_number_unique_per_tenant",
            violation_error_message=_("この社員番号は既に使われています。"))]

    def __str__(self):
        return f"{self.login_id} {self.name}".strip()

    def clean(self):
        super().clean()
        self.login_id = policy.normalize_login_id(self.login_id)
        self.login_key = policy.login_id_key(self.login_id)
        self.employee_number = unicodedata.normalize("NFKC", self.employee_number or "").strip()
        self.furigana = katakana(self.furigana or "")
        if self.login_id and User.objects.exclude(pk=self.pk).filter(login_key=self.login_key).exists():
            raise ValidationError(
                {"login_id": _("このログインIDは既に使われているか、よく似たIDが既にあります。")}
            )

    def validate_unique(self, exclude=None):
        # A duplicate login_key is reported on login_id by clean(), in words.
        super().validate_unique(exclude={*(exclude or ()), "login_key"})

    def save(self, *args, **kwargs):
        self.login_id = policy.normalize_login_id(self.login_id)
        self.login_key = policy.login_id_key(self.login_id)
        self.employee_number = unicodedata.normalize("NFKC", self.employee_number or "").strip()
        self.furigana = katakana(self.furigana or "")
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
        return salted_hmac(
            "accounts.User.get_session_auth_hash", f"{self.password}:{self.session_stamp}",
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self):
        """Invalidate every session of this user (saved by the caller)."""
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
