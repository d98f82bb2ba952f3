"""E-mail notices to a user about their own account (Japanese templates).

Mails are always rendered in Japanese (LANGUAGE_CODE): the language switch is
a browser cookie, so the recipient's language is not known, and an administrator
working in English must not send an employee a half-English notice."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def notify_user(user, template: str, context: dict | None = None) -> bool:
    """Send ``accounts/email/<template>_{subject,body}.txt``; False when no address is known."""
    if not user.email:
        return False
    context = {"user": user, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        logger.exception("Could not send the %s notice to user %s", template, user.pk)
        return False
    return True
