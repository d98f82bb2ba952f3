"""E-mail notices to a user, for accounts and every product app: one helper,
one naming rule.

``send_notice("<app>/email/<name>", user, context)`` renders
``<app>/email/<name>_subject.txt`` (one line) and ``<app>/email/<name>_body.txt``
with ``user`` and ``context``. Mails are always rendered in Japanese
(LANGUAGE_CODE): the language switch is a browser cookie, so the recipient's
language is not known, and an administrator working in English must not send
an employee a half-English notice."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send_notice(template_prefix: str, to, context: dict | None = None) -> bool:
    """Mail the user ``to``; False when no address is known or the mail could not be sent."""
    if not to.email:
        return False
    context = {"user": to, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        body = render_to_string(f"{template_prefix}_body.txt", context)
    try:
        send_mail(subject, body, None, [to.email])
    except OSError:
        logger.exception("Could not send the notice %s to user %s", template_prefix, to.pk)
        return False
    return True
