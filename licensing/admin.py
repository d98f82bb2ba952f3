"""ライセンス管理: operators set each tenant's licences; company
administrators see their own tenant's, read-only."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kit.admin_scoping import TenantScopedAdmin
from catalog.registry import products

from .models import Licence


class LicenceForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["tenant", "product_code", "in_use"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.code, p.name) for p in products()]
        current = self.instance.product_code
        if current and current not in {code for code, _label in choices}:
            choices.append((current, current))  # a product that is no longer installed
        self.fields["product_code"] = forms.ChoiceField(label=_("製品"), choices=choices)


class ProductFilter(admin.SimpleListFilter):
    """Products by name (「ネット de 就業」), not by code."""

    title = _("製品")
    parameter_name = "product_code"

    def lookups(self, request, model_admin):
        return [(p.code, p.name) for p in products()]

    def queryset(self, request, queryset):
        return queryset.filter(product_code=self.value()) if self.value() else queryset


@admin.register(Licence)
class LicenceAdmin(TenantScopedAdmin):
    form = LicenceForm
    list_display = ["tenant", "product_name", "in_use", "updated_at"]
    list_filter = ["in_use", ProductFilter]
    list_select_related = ["tenant"]
    search_fields = ["tenant__code", "tenant__name", "product_code"]

    # Only operators change licences; for everyone else the admin is read-only.
    def has_add_permission(self, request):
        return request.user.is_operator and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_operator and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_operator and super().has_delete_permission(request, obj)
