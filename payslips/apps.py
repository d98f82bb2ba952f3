from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.registry import Feature, Product


class PayslipsConfig(AppConfig):
    name = "payslips"
    verbose_name = _("ネット de 明細")
    product = Product(
        code="payslips",
        name=_("ネット de 明細"),
        icon="payslips/icon.svg",
        entry_url="payslips:list",
        order=20,
        features=[
            Feature("view", _("明細閲覧"), "payslips:list", limited=True),
        ],
    )
