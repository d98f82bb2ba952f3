"""A server-signed receipt of when a form first reached the server.

Under overload the server answers 「混み合っています」 (503) before any work
(``netdekomon.overload``). For a form that must count at the moment it was
sent — the punch — that answer carries a receipt: the time the request
first arrived, signed with SECRET_KEY and bound to the form's one-time
token. The resend after ``Retry-After`` presents it, and the service records
the time of the receipt, not of the resend. The employee's device clock is
never asked.

A receipt is refused when its signature is wrong (forged or altered), when
it is older than ``OVERLOAD_RECEIPT_SECONDS`` (kept back to claim an earlier
time later), or when it is presented with another form's token (used for a
second punch). With its own token it can only repeat the same once-only
form, which ``create_once`` records once.

The receipt also counts the attempts (signed with the time): each resend
that is shed again is told to wait longer (``netdekomon.overload``), so a
crowd of waiting punches does not come back all at once.

A view opts in with ``@resend_on_overload(token_field)``; product apps use
``first_arrival`` in the view that takes the form: it also dates a form
that was served after waiting in front of the app (within the limit) by
the load balancer's stamp, not by when a worker got to it.
"""

from datetime import datetime, timezone

from django.conf import settings
from django.core import signing
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


def issue(token: str, arrived_at: float, attempts: int = 1) -> str:
    """A receipt of ``arrived_at`` (seconds since the epoch) for the form with
    ``token``, shed ``attempts`` times so far."""
    return signing.dumps({"k": token, "t": round(arrived_at, 3), "n": attempts}, salt=SALT, compress=False)


def read(receipt: str, token: str) -> tuple[datetime, int]:
    """When the form with ``token`` first arrived and how often it was shed, as
    the receipt says; ReceiptRefused otherwise."""
    try:
        data = signing.loads(receipt, salt=SALT, max_age=settings.OVERLOAD_RECEIPT_SECONDS)
    except signing.SignatureExpired:
        raise ReceiptRefused(EXPIRED) from None
    except signing.BadSignature:
        raise ReceiptRefused(FORGED) from None
    if not isinstance(data, dict) or data.get("k") != token or not isinstance(data.get("t"), (int, float)):
        raise ReceiptRefused(FORGED)
    attempts = data.get("n", 1)
    return datetime.fromtimestamp(data["t"], tz=timezone.utc), attempts if isinstance(attempts, int) else 1


def received_at(receipt: str, token: str) -> datetime:
    """When the form with ``token`` first arrived, as the receipt says; ReceiptRefused otherwise."""
    return read(receipt, token)[0]


def first_arrival(request, token: str) -> datetime | None:
    """When the form with ``token`` first reached the servers: its receipt's time
    on a resend (ReceiptRefused when the receipt cannot vouch for it), else the
    trusted load balancer's stamp of this request, else None (now)."""
    receipt = request.POST.get(FIELD)
    if receipt:
        return received_at(receipt, token)
    stamp = getattr(request, ARRIVED, None)
    return None if stamp is None else datetime.fromtimestamp(stamp, tz=timezone.utc)
