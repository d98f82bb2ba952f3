"""Answer within seconds under overload: 「混み合っています」 before any work.

When more requests arrive than the servers can carry, they wait in front of
the app (the load balancer's queue, the listen backlog) until the browser
gives up, and nobody learns whether a punch counted. This middleware, first
in MIDDLEWARE, reads how long the request already waited — the load
balancer's request-start header (``X-Request-Start: t=<time>``, nginx's
``${msec}``, or milliseconds or microseconds since the epoch) — and when that
is longer than ``REQUEST_QUEUE_LIMIT_MS`` it answers the 503 page with
``Retry-After`` at once: no session, no user, no database. Requests shed
this way cost a fraction of a served one, so the queue drains and the wait
of every request stays near the limit (docs/deployment.md, "Overload").

The header is only believed behind a trusted proxy (``TRUSTED_PROXY_COUNT``
of at least 1, whose load balancer sets the header itself): a client's own
header must not decide anything, least of all the time of a punch.

A POST to a view declared ``@resend_on_overload(token_field)``
(``kit.receipts``) gets a page that resends the same form after
``Retry-After`` by itself (「混み合っています。自動で再送します…」), with the
same one-time token and a signed receipt of when it first arrived. When
it comes back is scheduled (``ResendSchedule``): each worker gives its shed
forms the next free slot at the rate it is serving requests, so the waiting
punches return one after another about as fast as the servers record them,
not all at once, and not faster than they can be taken (which would only
be shed again: under a long overload the resends would crowd out the work,
docs/performance.md, "9:00 past capacity"). The wait grows with the number
of punches waiting, never past ``OVERLOAD_RETRY_MAX_SECONDS``.
"""

import logging
import time
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kit import receipts

logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = 2.0  # seconds a load balancer's clock may run ahead of ours
RESEND_WAIT_FACTOR = 2  # a resend with its receipt is served up to twice the limit (is_resend)
RECEIPT_MARGIN = 10  # seconds: a resend is told to come back this long before its receipt expires


def request_start(value: str | None) -> float | None:
    """Seconds since the epoch from a request-start header (``t=`` optional), or None."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("t="):
        text = text[2:]
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number <= 0:  # NaN or nonsense
        return None
    if number > 1e14:  # microseconds (Apache's %t)
        number /= 1e6
    elif number > 1e11:  # milliseconds (Heroku, HAProxy)
        number /= 1e3
    return number


class OverloadSheddingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.shed_since_log = 0
        self.last_log = 0.0
        self.schedule = ResendSchedule()

    def __call__(self, request):
        limit = settings.REQUEST_QUEUE_LIMIT_MS / 1000
        if limit > 0 and settings.TRUSTED_PROXY_COUNT > 0:
            header = "HTTP_" + settings.REQUEST_START_HEADER.upper().replace("-", "_")
            arrived = request_start(request.META.get(header))
            now = time.time()
            if arrived is not None and arrived <= now + FUTURE_TOLERANCE:
                if now - arrived > limit and not (now - arrived <= limit * RESEND_WAIT_FACTOR
                                                  and is_resend(request)):
                    return self.shed(request, min(arrived, now))
                # Served: a form that counts at its arrival (the punch) is dated by the
                # stamp, not by when a worker got to it (up to the limit later).
                setattr(request, receipts.ARRIVED, min(arrived, now))
            if request.method == "POST":  # the pace is what a form costs: pages and static files do not set it
                started = time.perf_counter()
                response = self.get_response(request)
                self.schedule.served(time.perf_counter() - started)
                return response
        return self.get_response(request)

    def shed(self, request, arrived: float) -> HttpResponse:
        self._note()
        retry_after, inputs = settings.OVERLOAD_RETRY_AFTER_SECONDS, None
        resend = resend_fields(request, arrived)
        if resend is not None:
            fields, first = resend
            # Back while the receipt still vouches for the first arrival (a margin for the way there).
            life = settings.OVERLOAD_RECEIPT_SECONDS - (time.time() - first) - RECEIPT_MARGIN
            retry_after = self.schedule.wait(within=life)
            inputs = "".join(f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
                             for name, value in fields)
        page = _page(get_language(), retry_after, inputs is not None)
        page = page.replace(PATH_MARK, escape(local_path(request)))
        response = HttpResponse(page.replace(INPUTS_MARK, inputs or ""), status=503)
        response["Retry-After"] = str(retry_after)
        add_never_cache_headers(response)
        response.netdekomon_error_page = True
        response._has_been_logged = True  # told in _note once per ten seconds, not once per request
        return response

    def _note(self):
        # One line per ten seconds of shedding, not one per request: the log must not add to the load.
        self.shed_since_log += 1
        now = time.monotonic()
        if now - self.last_log >= 10:
            logger.warning("Overloaded: %d requests answered 503 (waited more than %d ms)",
                           self.shed_since_log, settings.REQUEST_QUEUE_LIMIT_MS)
            self.shed_since_log, self.last_log = 0, now


PATH_MARK = "/__shed_path__"
INPUTS_MARK = "<!--shed-inputs-->"


def is_resend(request) -> bool:
    """A form resent with its receipt: it has been shed before, and is served even
    when it waited up to RESEND_WAIT_FACTOR × the limit. Without this, under a long
    overload every request in the queue is old, every one is shed, each punch comes
    back again and again, and the servers spend their time shedding resends instead
    of recording them (docs/performance.md, "9:00 past capacity"). The receipt is
    not checked here (the view refuses a false one): a made-up field only buys a
    request a little more patience in the queue."""
    return request.method == "POST" and bool(request.POST.get(receipts.FIELD))


def local_path(request) -> str:
    """The request's path as a link on this site: percent-encoded first (a tab or
    a backslash the browser would drop), then never ``//host``."""
    return "/" + quote(request.path, safe="/%;=,@:+$!*'()~").lstrip("/")


@lru_cache(maxsize=256)
def _page(language: str, retry_after: int, resend: bool) -> str:
    """The 503 page, rendered once per language, wait and kind: shedding must
    cost a fraction of a served request, and the template is most of it. The
    request's path and the resent fields go in where the marks are."""
    context = {"retry_after": retry_after, "reload_url": PATH_MARK, "overload": True}
    if resend:
        context.update(resend_to=PATH_MARK, resend_inputs=mark_safe(INPUTS_MARK))
    return loader.get_template("503.html").render(context)


@receiver(setting_changed)
def _forget_pages(**kwargs):
    _page.cache_clear()


class ResendSchedule:
    """When the forms this worker sheds come back: one after another, at the rate
    the worker can serve requests.

    The rate is measured from the time the worker takes to serve a form — a POST,
    as the resends are (its recent average; pages, static files and 404s do not
    count) — not from how many it served: while it sheds most arrivals it
    serves few, and pacing the resends by that would leave the servers idle once
    the rush is over. Each shed form gets the next free slot: the first at
    ``OVERLOAD_RETRY_AFTER_SECONDS``, each further one 1 / rate later, none past
    ``OVERLOAD_RETRY_MAX_SECONDS`` (the slots stop there) nor past what the form's
    receipt still covers. With every worker doing
    so, the resends of a rush arrive at about the rate the servers can record
    them, in the order they were shed, as long as the waiting punches fit within
    the cap (past it, every one waits the cap and they come back as fast as they
    were shed); a
    resend shed again takes a new slot at the end. When the rush is over, the
    slots lie in the past and the wait is the configured one again. Per process,
    without a shared store: the load balancer spreads the requests over the
    workers, so each schedules its share.
    """

    SMOOTHING = 0.05  # the weight of each served request in the average
    UNKNOWN_SECONDS = 0.1  # the time a request is assumed to take before one was served
    OUTLIER = 4  # a request slower than this × the average counts as this (a report page is not the rule)

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.service: float | None = None  # seconds a served request takes, recent average
        self.next_slot = 0.0

    def served(self, seconds: float):
        if self.service is None:
            self.service = seconds
        else:
            self.service += self.SMOOTHING * (min(seconds, self.OUTLIER * self.service) - self.service)

    def wait(self, within: float | None = None) -> int:
        """Seconds until the next free slot (``Retry-After``), and take it; never past
        ``within`` seconds (what the form's receipt still covers) nor the cap."""
        now = self.clock()
        base, cap = settings.OVERLOAD_RETRY_AFTER_SECONDS, settings.OVERLOAD_RETRY_MAX_SECONDS
        if within is not None:
            cap = max(base, min(cap, within))
        slot = min(max(self.next_slot, now + base), now + cap)  # the schedule does not run ahead of the cap
        self.next_slot = slot + max(self.service or self.UNKNOWN_SECONDS, 0.001)
        return round(slot - now)


def resend_fields(request, arrived: float) -> tuple[list[tuple[str, str]], float] | None:
    """The posted fields with a receipt, and the form's first arrival, for a view
    that is resent after overload; else None."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    token_field = getattr(match.func, receipts.ATTRIBUTE, None)
    digest = receipts.form_digest(request)
    if not token_field or not request.POST.get(token_field) or digest is None:
        return None
    if time.time() - arrived > settings.OVERLOAD_RECEIPT_SECONDS:
        return None  # no queue is that long: a stamp that old vouches for nothing
    attempts, receipt = 1, None
    earlier = request.POST.get(receipts.FIELD)
    if earlier:  # a resend shed again keeps the first arrival
        try:
            first, before = receipts.read(earlier, digest)
        except receipts.ReceiptRefused:
            # Expired or not ours: resent as it came, so that the view says why the punch cannot
            # count at its first arrival. A new receipt would date it now, and nobody would know.
            receipt = earlier
        else:
            arrived, attempts = min(arrived, first.timestamp()), before + 1
    fields = [(name, value) for name, values in request.POST.lists() if name != receipts.FIELD for value in values]
    return [*fields, (receipts.FIELD, receipt or receipts.issue(digest, arrived, attempts))], arrived
