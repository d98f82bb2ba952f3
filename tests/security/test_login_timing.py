"""Every refused password costs the same, whatever the account (second outside test, finding 1).

Before: a wrong password for an account on a temporary password (the fast
TemporaryPasswordHasher) answered in ~20 ms against ~160 ms for an unknown
ID (a dummy Argon2), so one request per ID told freshly imported, reset or
reactivated accounts apart, expired ones included. Now every check that can
refuse costs one Argon2 of the current parameters (accounts.hashers.
check_password_evenly), and so do the refusals of the locks.

Measured through the real login POST with the production hashers, Argon2
first at a sixth of its memory cost (about 30 ms a check instead of 150:
what is compared is whether each path pays one check of the preferred
hasher, and a path that skipped it would answer in a fifth of the time),
the kinds interleaved in random order. What is measured is the CPU time the
login takes in this process (``time.process_time``: Argon2 and everything
around it, in every thread of the process): the other test processes on a
busy 2-core machine stretch the wall time of a request by tens of
milliseconds at random, not its CPU time. The database's own work is not in
it (the same statements for every kind but the locks', docs/security.md).
The bound (docs/security.md): every kind's lower quartile within 25 % of the
unknown ID's.
"""

import random
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.utils import timezone

import netdekomon.settings as project_settings
from accounts.people.offboarding import user_offboard
from tests.helpers import PASSWORD, make_user, post_login

SAMPLES = 16
BOUND = 0.25


class LighterArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 (same algorithm name and code path) with 16 MiB instead of 100 MiB."""
    memory_cost = 16384


MEASURED_HASHERS = [f"{__name__}.LighterArgon2PasswordHasher", *project_settings.PASSWORD_HASHERS[1:]]


def refused(response) -> bool:
    """The wrong-password message, or the lock's (said alike for every ID: issue 26)."""
    page = response.content.decode()
    return response.status_code == 200 and (
        "ログインIDまたはパスワードが正しくありません" in page or "一時的に制限しています" in page)


def hammer(login_id, address, times):
    client = Client()
    for _ in range(times):
        post_login(client, login_id, "Wrong-password-1", REMOTE_ADDR=address)


def test_every_refused_password_costs_the_same(acme, admin_a):
    # Locks set up on the fast test hasher (the wrong passwords' cost is not measured) …
    locked = make_user("A1000010", acme, device=True)
    hammer("A1000010", "192.0.2.10", settings.AXES_FAILURE_LIMIT)  # locked for ID + that address
    ceiling = make_user("A1000011", acme, device=True)
    for n in range(-(-settings.LOGIN_ID_FAILURE_CEILING // settings.AXES_FAILURE_LIMIT)):
        hammer("A1000011", f"198.51.100.{n + 1}", settings.AXES_FAILURE_LIMIT)  # closed by the ceiling

    # … then the production hashers (Argon2 first, lighter) for everything measured.
    from django.test import override_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=MEASURED_HASHERS):
        argon2 = make_user("A1000012", acme, device=True)
        temporary = make_user("B1000012", acme)
        temporary.set_temporary_password()  # random: the fast hasher, as an import stores it
        temporary.save()
        expired = make_user("B1000013", acme)
        expired.set_temporary_password()
        expired.password_expires_at = timezone.now() - timedelta(days=30)
        expired.save()
        offboarded = make_user("A1000014", acme, device=True)
        user_offboard(user=offboarded, actor=admin_a)
        for user in (locked, ceiling):
            user.set_password(PASSWORD)
            user.save()
        assert argon2.password.startswith("argon2")
        assert temporary.password.startswith("pbkdf2_sha256_temporary$")

        kinds = {  # login ID, password, address (None: a fresh address per sample)
            "unknown ID": ("A1999999", "Wrong-password-1", None),
            "Argon2 account": ("A1000012", "Wrong-password-1", None),
            "temporary password": ("B1000012", "Wrong-password-1", None),
            "expired temporary password": ("B1000013", "Wrong-password-1", None),
            "退職 (inactive)": ("A1000014", "Wrong-password-1", None),
            "locked (ID + address)": ("A1000010", PASSWORD, "192.0.2.10"),
            "closed by the per-ID ceiling": ("A1000011", PASSWORD, None),
        }
        client = Client()
        post_login(client, "A1999998", PASSWORD, REMOTE_ADDR="203.0.113.250")  # warm-up (the dummy hash)
        samples = {kind: [] for kind in kinds}
        for round_number in range(SAMPLES):
            order = list(kinds)
            random.shuffle(order)
            for index, kind in enumerate(order):
                login_id, password, address = kinds[kind]
                # A fresh address each time keeps the per-address limit out of the wrong-password kinds.
                address = address or f"10.{list(kinds).index(kind)}.0.{round_number + 1}"
                started = time.process_time()
                response = post_login(client, login_id, password, REMOTE_ADDR=address)
                samples[kind].append(time.process_time() - started)
                assert refused(response), kind

    # The lower quartile of each kind: what else the process does (the garbage collector,
    # a cache filled once) only ever adds to a sample, so the quieter samples show the cost
    # of the path itself; the kinds were interleaved, so each had its share.
    quartiles = {kind: statistics.quantiles(values, n=4)[0] for kind, values in samples.items()}
    reference = quartiles["unknown ID"]
    report = ", ".join(f"{kind} {quartiles[kind] * 1000:.0f} ms (×{quartiles[kind] / reference:.2f}, "
                       f"median {statistics.median(samples[kind]) * 1000:.0f} ms)" for kind in kinds)
    print(f"\nlower quartiles of {SAMPLES}: {report}")
    for kind, value in quartiles.items():
        assert abs(value / reference - 1) <= BOUND, report
