"""Unknown ID and wrong password look the same, and a lock reads the same for a real and an
unknown ID: message, status, page and time."""

import re
import statistics
import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.utils import timezone

from tests.helpers import PASSWORD, post_login

ARGON2_FIRST = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.MD5PasswordHasher"]


def form_errors(response) -> str:
    """The visible error block of the login page, with the CSRF token and user input blanked."""
    body = response.content.decode()
    errors = re.findall(r'<ul class="errorlist[^"]*">.*?</ul>', body, flags=re.S)
    return "".join(errors)


def lock(client, login_id, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, login_id, "wrong-password")


def test_same_message_and_status(client, employee_b, employee_a, settings):
    unknown = post_login(client, "B9999999", PASSWORD)
    wrong = post_login(client, "B1000001", "wrong-password")
    assert unknown.status_code == wrong.status_code == 200
    assert "ログインIDまたはパスワードが正しくありません" in form_errors(unknown)
    assert form_errors(unknown) == form_errors(wrong)
    # A lock says so and until when (issue 26) — the same for an ID that does not exist
    # after the same failures from the same address, and whatever the password.
    lock(client, "A1000002", settings)
    lock(client, "A9999999", settings)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=1))
    locked = post_login(client, "A1000002", PASSWORD)
    locked_unknown = post_login(client, "A9999999", PASSWORD)
    locked_wrong = post_login(client, "A1000002", "wrong-password")
    assert locked.status_code == locked_unknown.status_code == locked_wrong.status_code == 200
    assert "一時的に制限しています" in form_errors(locked)
    assert form_errors(locked) == form_errors(locked_unknown) == form_errors(locked_wrong)
    assert client.session.get("_auth_user_id") is None


def test_similar_timing(client, employee_b, employee_a, settings):
    """Real Argon2 hashing on every path; medians within a loose factor of each other."""
    settings.PASSWORD_HASHERS = ARGON2_FIRST
    for user in (employee_a, employee_b):
        user.set_password(PASSWORD)
        user.save()
    lock(client, "A1000002", settings)
    cases = {
        "unknown ID": lambda: post_login(client, "B9999999", PASSWORD),
        "wrong password": lambda: post_login(client, "B1000001", "wrong-password"),
        "locked account": lambda: post_login(client, "A1000002", PASSWORD),
    }
    post_login(client, "B9999998", PASSWORD)  # warm-up
    timings = {}
    for name, attempt in cases.items():
        samples = []
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):  # stays under the lockout of the wrong-password ID
            started = time.perf_counter()
            attempt()
            samples.append(time.perf_counter() - started)
        timings[name] = statistics.median(samples)
    fastest, slowest = min(timings.values()), max(timings.values())
    # Argon2 dominates (tens of ms); a path that skipped hashing would be ~10x faster.
    assert slowest / fastest < 3, timings
