"""Mailing a user the security events they must hear of.

The notice of each kind is its ``mail`` in ``accounts.event_kinds.KINDS``
(worded in ``accounts.event_mails``), rendered from the recorded event into
the one template ``accounts/email/security_notice``, in Japanese.
"""

from django.conf import settings
from django.utils import translation

from accounts import event_kinds
from kit.mail import send_notice


def mail_event(event) -> bool:
    """Mail ``event``'s user its kind's notice; False when the user has no address
    or the mail could not be sent. ValueError for a kind that is not mailed."""
    notice = event_kinds.audit(event.kind).mail
    if notice is None:
        raise ValueError(f"{event.kind} events are not mailed: give the kind a mail in accounts.event_kinds")
    with translation.override(settings.LANGUAGE_CODE):  # the browser's words too (kit.user_agents)
        context = notice.context(event)
    return send_notice("accounts/email/security_notice", event.user, context)
