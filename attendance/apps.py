from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.registry import Feature, Product


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("ネット de 就業")
    product = Product(
        code="attendance",
        name=_("ネット de 就業"),
        icon="attendance/icon.svg",
        entry_url="attendance:punch",
        order=10,
        features=[
            Feature("punch", _("打刻"), "attendance:punch", limited=True),
            Feature("requests", _("届出申請"), "attendance:requests"),
        ],
    )
