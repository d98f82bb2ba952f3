"""「混み合っています。自動で再送します…」: a punch shed under overload is resent by the page itself
and recorded once, at the time the employee pressed the button."""

import time

import pytest

from attendance.models import Punch

from .conftest import PHONE, shot
from .flows import signed_in

pytestmark = pytest.mark.e2e

WAITED = 6.0  # seconds the first punch waited in front of the app (the load balancer's stamp)


def test_a_shed_punch_is_resent_by_the_page_and_counts_from_the_first_press(
        browser_factory, employee_b, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REQUEST_QUEUE_LIMIT_MS = 1000
    settings.OVERLOAD_RETRY_AFTER_SECONDS = 2
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    signed_in(page, employee_b, mode="limited", go="/attendance/")

    pressed = {}

    def stamp_the_first_punch(route, request):
        # The load balancer stamps the arrival; the first punch waited WAITED seconds in its queue.
        if request.method == "POST" and "at" not in pressed:
            pressed["at"] = time.time() - WAITED
            route.continue_(headers={**request.headers, "x-request-start": f"t={pressed['at']:.3f}"})
        else:
            route.continue_()

    page.route("**/attendance/", stamp_the_first_punch)
    with page.expect_navigation():
        page.get_by_role("button", name="出勤").click()
    assert page.get_by_role("heading", name="混み合っています").is_visible()
    assert page.get_by_text("混み合っています。自動で再送します…").is_visible()
    assert not Punch.objects.exists()
    shot(page, "31-overload-resend")

    page.wait_for_url(page.base + "/attendance/", timeout=10_000)
    page.wait_for_selector(".messages")
    assert page.locator(".messages").get_by_text("出勤を").is_visible()
    punch = Punch.objects.get(user=employee_b)
    assert abs(punch.punched_at.timestamp() - pressed["at"]) < 1.0
