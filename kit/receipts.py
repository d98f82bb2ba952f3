"""A server-signed receipt of when a form first reached the server.

Under overload the server answers 「混み合っています」 (503) before any work
(``netdekomon.overload``). For a form that must count at the moment it was
sent — the punch — that answer carries a receipt: the time the request
first arrived, signed with SECRET_KEY and bound to the form's one-time
token. The resend after ``Retry-After`` presents it, and the service records
the time of the receipt, not of the resend. The employee's device clock is
never asked.

A receipt is bound to the session that sent the form and to the form's
fields (its one-time token, the punch's kind): ``form_digest``. It is
refused when its signature is wrong (forged or altered), when its first
arrival is older than ``OVERLOAD_RECEIPT_SECONDS`` (kept back to claim an
earlier time later; shed again and again, it does not grow younger), or when
it is presented by another session or with other fields (another punch, or
another employee). It can only repeat the same once-only form of the same
login, which the token records once. A request without a session cookie
gets no receipt.

The receipt also counts the attempts (signed with the time). When the
resend comes back is scheduled by ``netdekomon.overload``, never later than
the receipt still vouches for; a resend whose receipt has expired is resent
as it came, so the view tells the employee instead of dating the punch anew.

A view opts in with ``@resend_on_overload(token_field)``; product apps use
``first_arrival`` in the view that takes the form: it also dates a form
that was served after waiting in front of the app (within the limit) by
the load balancer's stamp, not by when a worker got to it.
"""

import json
import time
from datetime import datetime, timezone

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

SALT = "netdekomon.receipt"
FIELD = "receipt"  # the posted field that carries the receipt
ATTRIBUTE = "resend_on_overload"  # on a view: the name of its form's token field
ARRIVED = "arrived_at"  # on a request: the load balancer's stamp of its arrival, when believed


class ReceiptRefused(Exception):
    """The receipt cannot vouch for an earlier time; the message says why, in Japanese."""


FORGED = _("受付の記録を確認できませんでした。もう一度操作してください。")
EXPIRED = _("受付から時間がたちすぎたため、受付時刻では記録できません。もう一度操作してください。")


def resend_on_overload(token_field: str):
    """Declare that the view's POST is resent after 「混み合っています」 with the same
    ``token_field`` value and a receipt of its first arrival."""

    def mark(view):
        setattr(view, ATTRIBUTE, token_field)
        return view

    return mark


def form_digest(request) -> str | None:
    """What a receipt is bound to: the session that sent the form (its cookie)
    and every posted field but the receipt and the CSRF token — the one-time
    token, the kind. None without a session cookie: no receipt then."""
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session:
        return None
    fields = sorted((name, value) for name, values in request.POST.lists()
                    if name not in (FIELD, "csrfmiddlewaretoken") for value in values)
    return salted_hmac(SALT + ".form", json.dumps([session, fields])).hexdigest()[:32]


def issue(digest: str, arrived_at: float, attempts: int = 1) -> str:
    """A receipt of ``arrived_at`` (seconds since the epoch) for the form with
    ``digest`` (``form_digest``), shed ``attempts`` times so far."""
    return signing.dumps({"f": digest, "t": round(arrived_at, 3), "n": attempts}, salt=SALT, compress=False)


def read(receipt: str, digest: str | None) -> tuple[datetime, int]:
    """When the form with ``digest`` first arrived and how often it was shed, as
    the receipt says; ReceiptRefused otherwise. Its age counts from the first
    arrival, however often it was shed and signed again since."""
    try:
        data = signing.loads(receipt, salt=SALT, max_age=settings.OVERLOAD_RECEIPT_SECONDS)
    except signing.SignatureExpired:
        raise ReceiptRefused(EXPIRED) from None
    except signing.BadSignature:
        raise ReceiptRefused(FORGED) from None
    if (not isinstance(data, dict) or not digest or data.get("f") != digest
            or not isinstance(data.get("t"), (int, float))):
        raise ReceiptRefused(FORGED)
    if time.time() - data["t"] > settings.OVERLOAD_RECEIPT_SECONDS:
        raise ReceiptRefused(EXPIRED)
    attempts = data.get("n", 1)
    return datetime.fromtimestamp(data["t"], tz=timezone.utc), attempts if isinstance(attempts, int) else 1


def first_arrival(request) -> datetime | None:
    """When this form first reached the servers: its receipt's time on a resend
    (ReceiptRefused when the receipt cannot vouch for it), else the trusted
    load balancer's stamp of this request, else None (now)."""
    receipt = request.POST.get(FIELD)
    if receipt:
        return read(receipt, form_digest(request))[0]
    stamp = getattr(request, ARRIVED, None)
    return None if stamp is None else datetime.fromtimestamp(stamp, tz=timezone.utc)
