"""What the user admin shows, per role: list columns and filters, fieldsets,
read-only fields, and each user's 2FA and password status (one query per page)."""

from django.contrib import admin
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import Passkey

from accounts.console.filters import DepartmentFilter, JobTitleFilter, PasswordStateFilter

MASTER_FIELDS = ["employee_number", "furigana", "department", "job_title", "hired_on"]
COMPANY_FIELDS = ["login_id", "name", "email", "is_active", "company_admin"]
OPERATOR_FIELDS = ["login_id", "name", "email", "tenant", "is_active", "company_admin", "is_superuser",
                   "groups", "user_permissions"]
STATUS_FIELDS = ["two_factor_status", "password_state", "login_restriction", "last_login", "date_joined",
                 "registered_by"]


class TwoFactorFilter(admin.SimpleListFilter):
    title = gettext_lazy("2要素認証")
    parameter_name = "two_factor"

    def lookups(self, request, model_admin):
        return [("yes", _("設定済み")), ("no", _("未設定"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(two_factor_set_up=self.value() == "yes")
        return queryset


class PasskeyFilter(admin.SimpleListFilter):
    title = gettext_lazy("パスキー")
    parameter_name = "passkey"

    def lookups(self, request, model_admin):
        return [("yes", _("登録あり")), ("no", _("登録なし"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(passkey_count__gt=0) if self.value() == "yes" else queryset.filter(passkey_count=0)
        return queryset


class UserDisplayMixin:
    list_display = ["login_id", "name", "employee_number", "department", "is_staff", "is_active", "two_factor", "two_factor_last_used",
                    "password_state"]
    list_display_links = ["login_id", "name"]
    list_filter = [DepartmentFilter, JobTitleFilter, TwoFactorFilter, PasskeyFilter, "is_staff", "is_active",
                   PasswordStateFilter]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return queryset.annotate(
            two_factor_set_up=Exists(devices),
            two_factor_last_used_at=Subquery(
                devices.order_by(F("last_used_at").desc(nulls_last=True)).values("last_used_at")[:1]
            ),
            passkey_count=Coalesce(Subquery(
                Passkey.objects.filter(user=OuterRef("pk"), confirmed=True).order_by()
                .values("user").annotate(count=Count("pk")).values("count"),
                output_field=IntegerField()), 0),
        )

    def get_list_display(self, request):
        if request.user.is_operator:
            return ["login_id", "name", "tenant", *self.list_display[2:]]
        return self.list_display

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)  # a company administrator's: scoped
        return [*filters, "tenant"] if request.user.is_operator else filters

    def get_fieldsets(self, request, obj=None):
        fields = OPERATOR_FIELDS if request.user.is_operator else COMPANY_FIELDS
        fieldsets = [(None, {"fields": fields}), (_("社員情報"), {"fields": MASTER_FIELDS})]
        if obj is not None:
            fieldsets.append((_("2要素認証・パスワード"), {"fields": STATUS_FIELDS}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if request.user.is_operator:
            return STATUS_FIELDS
        # The first letter of the ID is the login policy (A: the code every
        # time); a company administrator cannot turn an A-ID into a B-ID.
        return ["login_id", *STATUS_FIELDS]

    # -- list and detail columns -------------------------------------------

    @admin.display(description=gettext_lazy("2要素認証"), ordering="two_factor_set_up")
    def two_factor(self, obj):
        if not obj.two_factor_set_up:
            return _("未設定")
        if obj.passkey_count:
            return _("設定済み・パスキー %(count)d件") % {"count": obj.passkey_count}
        return _("設定済み")

    @admin.display(description=gettext_lazy("認証コード最終利用"), ordering="two_factor_last_used_at")
    def two_factor_last_used(self, obj):
        return obj.two_factor_last_used_at

    @admin.display(description=gettext_lazy("2要素認証"))
    def two_factor_status(self, obj):
        if not obj.two_factor_set_up:
            return _("未設定（次回ログイン時に初期設定）")
        passkeys = _("・パスキー %(count)d件") % {"count": obj.passkey_count} if obj.passkey_count else ""
        if obj.two_factor_last_used_at:
            used = date_format(localtime(obj.two_factor_last_used_at), "Y/m/d H:i")
            return _("設定済み（認証コード最終利用: %(when)s）") % {"when": used} + passkeys
        return _("設定済み") + passkeys

    @admin.display(description=gettext_lazy("パスワード"))
    def password_state(self, obj):
        if not obj.password_is_temporary:
            return _("本人が設定")
        if obj.temporary_password_expired:
            return _("仮パスワード（期限切れ）")
        if obj.password_expires_at is None:
            return _("仮パスワード")
        return _("仮パスワード（%(when)s まで）") % {
            "when": date_format(localtime(obj.password_expires_at), "Y/m/d H:i")}

    @admin.display(description=gettext_lazy("登録した管理者"))
    def registered_by(self, obj):
        """Who registered the account (segregation of duties, accounts.audit.duties)."""
        creator = obj.created_by
        if creator is None:
            return "-"
        return _("運営担当者") if creator.is_operator else str(creator)
