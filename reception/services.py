"""Sending a form (届出) and processing it."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Submission


@transaction.atomic
def submission_create(*, user: User, kind: str, detail) -> Submission:
    """Save an employee's form: the submission and its (unsaved) detail row together."""
    submission = Submission.objects.create(user=user, kind=kind)
    detail.submission = submission
    detail.full_clean()
    detail.save()
    return submission


def submission_process(*, submission: Submission, status: str, actor: User, comment: str = "") -> bool:
    """Move a submission to 受理 / 差戻し / 完了. False when the current status does not allow it."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not locked.may_become(status):
            return False
        locked.status = status
        locked.processed_at = timezone.now()
        locked.processed_by = actor
        fields = ["status", "processed_at", "processed_by"]
        if comment:
            locked.admin_comment = comment
            fields.append("admin_comment")
        locked.save(update_fields=fields)
    submission.refresh_from_db()
    return True
