"""List filters of the user admin that the model's fields cannot express alone."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import event_kinds


class PasswordStateFilter(admin.SimpleListFilter):
    title = _("パスワード")
    parameter_name = "password_state"

    def lookups(self, request, model_admin):
        return [("own", _("本人が設定")), ("temporary", _("仮パスワード（有効）")),
                ("expired", _("仮パスワード（期限切れ）"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "own":
            return queryset.filter(password_is_temporary=False)
        if self.value() == "temporary":
            return queryset.filter(Q(password_expires_at__isnull=True) | Q(password_expires_at__gt=now),
                                   password_is_temporary=True)
        if self.value() == "expired":
            return queryset.filter(password_is_temporary=True, password_expires_at__lte=now)
        return queryset


class EventKindFilter(admin.SimpleListFilter):
    """The security log's 種類, named from the registry (the column has no choices)."""

    title = _("種類")
    parameter_name = "kind__exact"

    def lookups(self, request, model_admin):
        return [(kind, event_kinds.label(kind)) for kind in event_kinds.KINDS]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset
