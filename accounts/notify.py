"""E-mail notices to a user about their own account (Japanese templates)."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def notify_user(user, template: str, context: dict | None = None) -> bool:
    """Send ``accounts/email/<template>_{subject,body}.txt``; False when no address is known."""
    if not user.email:
        return False
    context = {"user": user, **(context or {})}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        logger.exception("Could not send the %s notice to user %s", template, user.pk)
        return False
    return True
