"""「給与明細が公開されました」: one mail per employee and run, on the slip's 公開日.

Each slip is announced once: a ``PayslipNotice`` row (primary key = the slip)
is inserted before the mail goes out, so two runs at the same time, a run
after the import's own call or a second cron run the same day mail nothing
twice — the database refuses the second row. A mail that could not be sent
gives its rows back, for the next run. The mail names the months, never an
amount: a mailbox is not the portal.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kit.mail import send_notice

from .models import Payslip, PayslipNotice

logger = logging.getLogger(__name__)
# A run missed (a stopped timer, a server down over a holiday) still catches up within this.
CATCH_UP_DAYS = 31


def payslip_notices_send(*, today: datetime.date | None = None, payslips=None, people: int | None = None) -> int:
    """Mail every active employee whose slips' 公開日 has come and who was not told yet.

    ``payslips`` narrows the run to an import's (or the console's) own slips, whatever their
    公開日's age; the scheduled run looks back CATCH_UP_DAYS. ``people`` stops after that many
    employees (the rest are left to the next run). Returns the number of mails sent."""
    sent = 0
    for slips in list(_due_by_user(today, payslips).values())[:people]:
        sent += _announce(slips)
    return sent


def payslip_notices_waiting(*, payslips) -> int:
    """How many employees among ``payslips``' are still to be mailed (due, with an address)."""
    return sum(1 for slips in _due_by_user(None, payslips).values() if slips[0].user.email)


def _due_by_user(today, payslips) -> dict[int, list[Payslip]]:
    today = today or timezone.localdate()
    due = (Payslip.objects.filter(published_on__lte=today, notice__isnull=True, user__is_active=True)
           .select_related("user__tenant").order_by("user_id", "pay_month"))
    if payslips is None:  # the scheduled run: a recent 公開日, or a slip registered lately with an older one
        since = datetime.timedelta(days=CATCH_UP_DAYS)  # (an import past its cap leaves those to this run)
        batches = [due.filter(Q(published_on__gt=today - since) | Q(created_at__gte=timezone.now() - since))]
    else:  # no more parameters per statement than PostgreSQL's server-side binding takes
        pks = sorted(p.pk for p in payslips)
        batches = [due.filter(pk__in=pks[start:start + 2000]) for start in range(0, len(pks), 2000)]
    by_user: dict[int, list[Payslip]] = {}
    for batch in batches:
        for payslip in batch:
            by_user.setdefault(payslip.user_id, []).append(payslip)
    return by_user


def _announce(slips: list[Payslip]) -> int:
    user = slips[0].user
    claimed = [slip for slip in slips if _claim(slip, mailed=bool(user.email))]
    if not claimed or not user.email:
        return 0
    months = [slip.month_label for slip in claimed]
    if send_notice("payslips/email/published", user, {"months": months, "tenant": user.tenant}):
        return 1
    # Not sent (the mail server refused or is away): the next run tries again.
    PayslipNotice.objects.filter(payslip__in=claimed).delete()
    logger.warning("Payslip notice to user %s not sent; it is retried by the next run", user.pk)
    return 0


def _claim(slip: Payslip, *, mailed: bool) -> bool:
    try:
        with transaction.atomic():
            PayslipNotice.objects.create(payslip=slip, mailed=mailed)
    except IntegrityError:  # another run announced it
        return False
    return True
