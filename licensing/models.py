from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Tenant
from catalog.registry import PRODUCT_CODE_MAX_LENGTH, product_by_code
from kit.tenancy import TenantQuerySet

from .cache import licences_changed


class LicenceQuerySet(TenantQuerySet):
    """A bulk ``update()`` or ``bulk_create()`` changes the cache version of the
    tenants it touches (saves and deletes, bulk or not, send signals:
    ``signals.py``): no way of writing licences leaves a cached set in use."""

    def update(self, **kwargs):
        tenants = set(self.values_list("tenant_id", flat=True))
        count = super().update(**kwargs)
        for tenant_id in tenants:
            licences_changed(tenant_id)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        for tenant_id in {licence.tenant_id for licence in created}:
            licences_changed(tenant_id)
        return created

    bulk_create.alters_data = True


class Licence(models.Model):
    """Whether a tenant uses (「使用」) a product app."""

    tenant = models.ForeignKey(Tenant, verbose_name=_("会社"), on_delete=models.CASCADE,
                               related_name="licences")
    product_code = models.CharField(_("製品"), max_length=PRODUCT_CODE_MAX_LENGTH)
    in_use = models.BooleanField(_("使用"), default=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    tenant_path = "tenant"
    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("ライセンス")
        verbose_name_plural = _("ライセンス")
        ordering = ["tenant", "product_code"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "product_code"], name="licence_unique_product"),
        ]

    def __str__(self):
        state = _("使用") if self.in_use else _("不使用")
        return f"{self.tenant.name} {self.product_name()}（{state}）"

    @property
    def product(self):
        return product_by_code(self.product_code)

    def product_name(self):
        product = self.product
        return product.name if product else self.product_code

    product_name.short_description = _("製品名")
