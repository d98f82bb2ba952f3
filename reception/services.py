"""Sending a form (届出) and processing it."""

from django.db import transaction
from django.utils import timezone

from kit.core import User, decision_check, decision_record
from kit.form_tokens import create_once
from kit.mail import send_notice

from .models import AddressChange, Submission


def submission_create(*, user: User, kind: str, detail, token: str | None = None) -> tuple[Submission, bool]:
    """Save an employee's form: the submission and its (unsaved) detail row together.

    Returns ``(submission, created)``. With the form's one-time ``token``
    the same form sent again (double click, resend, two requests at once)
    saves nothing and mails nothing: the unique constraint on (user, token)
    refuses the row inside a savepoint, which also drops the mail queued in
    it, and the first submission is returned with ``created=False``.
    """
    def create():
        submission = Submission.objects.create(user=user, kind=kind, token=token)
        detail.submission = submission
        detail.full_clean()
        detail.save()
        if kind == Submission.Kind.BANK:
            # A changed salary account is what a stolen login is used for: tell the owner.
            transaction.on_commit(lambda: _notify_bank_change(submission))
        return submission

    return create_once(create, earlier=lambda: Submission.objects.filter(user=user, token=token).first()
                       if token else None)


def address_last_known(user: User) -> str:
    """The employee's address as the company knows it: the newest 住所変更 not sent back."""
    last = (AddressChange.objects.filter(submission__user=user)
            .exclude(submission__status=Submission.Status.RETURNED)
            .order_by("-submission__submitted_at", "-submission_id").first())
    return last.summary() if last else ""


def _notify_bank_change(submission: Submission) -> None:
    bank = submission.bank_change
    send_notice("reception/email/bank_change", submission.user,
                {"submission": submission, "bank": bank, "last_digits": bank.account_number[-3:]})


def submission_process(*, submission: Submission, status: str, actor: User, comment: str = "",
                       request=None, seen_status: str | None = None) -> bool:
    """Move a submission to 受理 / 差戻し / 完了. False when the current status does not
    allow it, or is no longer ``seen_status`` (the one the deciding page showed). Raises ``accounts.audit.duties.OwnRequest`` when ``actor`` sent it. The
    decision is a security event, flagged when the sender registered ``actor``'s account."""
    decision_check(requester_id=submission.user_id, decider=actor)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not locked.may_become(status) or seen_status not in (None, locked.status):
            return False
        locked.status = status
        locked.processed_at = timezone.now()
        locked.processed_by = actor
        fields = ["status", "processed_at", "processed_by"]
        if comment:
            locked.admin_comment = comment
            fields.append("admin_comment")
        locked.save(update_fields=fields)
        decision_record(requester=submission.user, decider=actor, outcome=status, request=request)
    submission.refresh_from_db()
    return True
