from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from catalog.registry import Feature, Product


class AttendanceConfig(AppConfig):
    """ネット de 就業. 打刻 and the monthly list of one's own punches work in the
    limited mode; 届出申請 needs the code (see the docstring of views.py)."""

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
            Feature("month", _("月次勤務一覧"), "attendance:month", limited=True,
                    other_urls=("attendance:month_of",)),
            Feature("requests", _("届出申請"), "attendance:requests",
                    other_urls=("attendance:request_create", "attendance:request_detail")),
        ],
        admin_permissions=(
            "attendance.view_punch",
            "attendance.view_attendancerequest",
            "attendance.change_attendancerequest",
        ),
        seed_demo="attendance.demo.seed",
    )
