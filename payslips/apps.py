from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from catalog.registry import Feature, Product


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
            Feature("view", _("明細閲覧"), "payslips:list", limited=True,
                    other_urls=("payslips:detail", "payslips:print")),
            Feature("register", _("明細登録"), "payslips:import", admin_only=True,
                    other_urls=("payslips:import_sample",)),
        ],
        admin_permissions=[
            f"payslips.{action}_{model}"
            for model in ("payslip", "payslipitem")
            for action in ("view", "add", "change", "delete")
        ],
        seed_demo="payslips.demo.seed",
    )
