from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from catalog.registry import Feature, Product


class ReceptionConfig(AppConfig):
    name = "reception"
    verbose_name = _("ネット de 受付")
    product = Product(
        code="reception",
        name=_("ネット de 受付"),
        icon="reception/icon.svg",
        entry_url="reception:list",
        order=30,
        features=[
            Feature("forms", _("各種届出"), "reception:list",
                    other_urls=("reception:new", "reception:detail", "reception:postal_code")),
        ],
        admin_permissions=[
            "reception.view_submission", "reception.change_submission",
            "reception.view_addresschange", "reception.view_dependantchange",
            "reception.view_bankaccountchange",
        ],
        seed_demo="reception.demo.seed",
    )
