"""Which new login IDs a company administrator may hand out, without
learning anything about other companies' IDs.

Login IDs are unique across the service (and look-alike spellings fold to
one key, ``policy.login_id_key``), so "this ID is taken" is an answer about
other companies. A company administrator is told:

- that an employee of their **own** company already uses the ID (they see
  that employee in their list anyway);
- for any other taken ID, one generic refusal 「このログインIDは使用できません。」,
  recorded as a ``login_id_refused`` security event;
- after ``LOGIN_ID_REFUSAL_LIMIT`` such refusals for their company within 24
  hours, every new ID is refused, free or not, until the oldest refusal is a
  day old: the answer then says nothing about any ID.

So a company learns at most ``LOGIN_ID_REFUSAL_LIMIT`` other IDs' existence a
day, each one in the security log. Operators are not limited. Used by the
user admin and by every path that creates employees for a company.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import event_kinds
from accounts.audit import events
from accounts.models import SecurityEvent, User

TAKEN = event_kinds.TAKEN
LIMIT = event_kinds.LIMIT


def login_id_check_new(*, login_id: str, actor, request=None) -> None:
    """Raise a ValidationError when ``actor`` (a company administrator) may not create ``login_id``."""

    holder = User.objects.by_login_id(login_id).first()
    if actor.is_operator:
        return
    if holder is not None and holder.tenant_id == actor.tenant_id and not holder.is_superuser:
        raise ValidationError(
            _("このログインID（またはよく似たID）は、自社の %(holder)s が使っています。") % {"holder": holder},
            code="taken_in_company")
    if refusal_limit_reached(actor):
        events.record(request, events.Kind.LOGIN_ID_REFUSED, actor=actor, login_id=login_id, reason=LIMIT)
        raise ValidationError(
            _("使用できないログインIDの指定が続いたため、しばらくの間、新しいログインIDを登録できません。"
              "24時間ほど待つか、運営にお問い合わせください。"), code="limit")
    if holder is not None:
        events.record(request, events.Kind.LOGIN_ID_REFUSED, actor=actor, login_id=login_id, reason=TAKEN)
        raise ValidationError(_("このログインIDは使用できません。別のログインIDを指定してください。"),
                              code="unavailable")


def refusal_limit_reached(actor) -> bool:
    """Whether ``actor``'s company had ``LOGIN_ID_REFUSAL_LIMIT`` IDs refused as taken
    within 24 hours: every new ID is then refused, free or not."""
    return SecurityEvent.objects.filter(
        kind=events.Kind.LOGIN_ID_REFUSED, tenant_id=actor.tenant_id, data__reason=TAKEN,
        created_at__gte=timezone.now() - timedelta(hours=24),
    ).count() >= settings.LOGIN_ID_REFUSAL_LIMIT


def holders(keys) -> dict[str, User]:
    """The user holding each of the login keys (``policy.login_id_key``), in any
    company, with their company: for a whole file at once."""
    keys, found = list(keys), {}
    for start in range(0, len(keys), 2000):
        for user in User.objects.filter(login_key__in=keys[start:start + 2000]).select_related("tenant"):
            found[user.login_key] = user
    return found
