"""The upper bound of django-otp's code back-off (docs/security.md, 「認証コードの試行制限」).

django-otp makes the n-th consecutive wrong code wait
OTP_TOTP_THROTTLE_FACTOR × 2^(n-1) seconds before the next code is
evaluated, without limit: someone holding an employee's password could keep
that employee's code step closed for days. The wait is capped at
OTP_THROTTLE_MAX_DELAY_SECONDS; the cap is chosen so that an attacker still
gets at most MAX_CODES_PER_DAY evaluated codes a day (NIST SP 800-63B
allows 100). A system check refuses a setting above it.
"""

from django.conf import settings

DAY = 24 * 3600
MAX_CODES_PER_DAY = 100  # NIST SP 800-63B 5.2.2


def cap_backoff(device) -> None:
    """Cap this device's back-off at OTP_THROTTLE_MAX_DELAY_SECONDS.

    django-otp's ``ThrottlingMixin.verify_is_allowed`` computes the wait as
    ``get_throttle_factor() × 2^(failures-1)`` and has no setting for a cap,
    and ``TOTPDevice`` is django-otp's own model (no subclass can replace it
    in ``devices_for_user``). So the instance that verifies the code — the
    device ``TokenForm`` re-reads under a row lock — gets a factor that makes
    the library's product equal to min(factor × 2^(n-1), cap); the library
    still does the comparing, counting and refusing.
    """
    factor = device.get_throttle_factor()
    cap = settings.OTP_THROTTLE_MAX_DELAY_SECONDS

    def capped_factor():
        doubling = 2 ** max(device.throttling_failure_count - 1, 0)
        return min(factor, cap / doubling)

    device.get_throttle_factor = capped_factor


def evaluated_codes_per_day(factor: float | None = None, cap: float | None = None, seconds: int = DAY) -> int:
    """Most wrong codes evaluated within ``seconds``, starting with no failures."""
    factor = settings.OTP_TOTP_THROTTLE_FACTOR if factor is None else factor
    cap = settings.OTP_THROTTLE_MAX_DELAY_SECONDS if cap is None else cap
    at, failures, count = 0.0, 0, 0
    while at < seconds:
        count += 1
        failures += 1
        at += min(factor * 2 ** (failures - 1), cap)
    return count
