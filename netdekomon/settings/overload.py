"""Overload: 「混み合っています」 within seconds instead of an unbounded wait (netdekomon/overload.py)."""

from django.core.exceptions import ImproperlyConfigured

from .environment import env

# A request that already waited longer than this in front of the app (the load
# balancer's request-start header; believed only with TRUSTED_PROXY_COUNT >= 1)
# is answered 503 at once. 0 turns shedding off.
REQUEST_QUEUE_LIMIT_MS = env.int("REQUEST_QUEUE_LIMIT_MS", default=750)
REQUEST_START_HEADER = env.str("REQUEST_START_HEADER", default="X-Request-Start")
OVERLOAD_RETRY_AFTER_SECONDS = env.int("OVERLOAD_RETRY_AFTER_SECONDS", default=3)
# A shed punch comes back at the next free slot of its worker's serving rate
# (netdekomon.overload.ResendSchedule): the more punches wait, the later, never later than this.
OVERLOAD_RETRY_MAX_SECONDS = env.int("OVERLOAD_RETRY_MAX_SECONDS", default=150)
# How long the receipt of a shed punch vouches for its first arrival: longer
# than the overload can last (3× what the servers carry for a minute takes
# two more minutes to work off, docs/performance.md).
OVERLOAD_RECEIPT_SECONDS = env.int("OVERLOAD_RECEIPT_SECONDS", default=300)

if REQUEST_QUEUE_LIMIT_MS < 0:
    raise ImproperlyConfigured("REQUEST_QUEUE_LIMIT_MS must be 0 (off) or more.")
if not 1 <= OVERLOAD_RETRY_AFTER_SECONDS <= 60:
    raise ImproperlyConfigured("OVERLOAD_RETRY_AFTER_SECONDS must be between 1 and 60.")
if not OVERLOAD_RETRY_AFTER_SECONDS <= OVERLOAD_RETRY_MAX_SECONDS <= 300:
    raise ImproperlyConfigured("OVERLOAD_RETRY_MAX_SECONDS must be between OVERLOAD_RETRY_AFTER_SECONDS and 300.")
if not OVERLOAD_RETRY_MAX_SECONDS * 2 <= OVERLOAD_RECEIPT_SECONDS <= 900:
    raise ImproperlyConfigured("OVERLOAD_RECEIPT_SECONDS must be between twice OVERLOAD_RETRY_MAX_SECONDS and 900.")
