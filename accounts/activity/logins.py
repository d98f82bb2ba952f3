"""One login, one entry: the steps a login records beside its ログイン成功
(利用範囲の選択, 認証コード成功, 新しい端末からのログイン) are kept in the
database for the audit, and shown inside the login's own sentence.

``with_login_facts`` annotates each event with whether a new-device event of
the same user followed it within LOGIN_STEP_WINDOW (one subquery: the list's
query count does not grow with its rows); ``without_login_steps`` leaves the
steps out of a list that shows the logins."""

from datetime import timedelta

from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef

from accounts.event_kinds import Kind
from accounts.models import SecurityEvent

# finish_login records the login, then the new device, in one request.
LOGIN_STEP_WINDOW = timedelta(seconds=30)
# Recorded beside a login and told by its sentence; a list of logins leaves them out.
LOGIN_STEPS = (Kind.MODE_CHOSEN, Kind.CODE_SUCCESS, Kind.NEW_DEVICE)


def with_login_facts(queryset):
    """Each event with ``from_new_device``: a login this user's browser had never completed."""
    new_device = SecurityEvent.objects.filter(
        kind=Kind.NEW_DEVICE, user=OuterRef("user"), created_at__gte=OuterRef("created_at"),
        created_at__lte=ExpressionWrapper(OuterRef("created_at") + LOGIN_STEP_WINDOW,
                                          output_field=DateTimeField()))
    return queryset.annotate(from_new_device=Exists(new_device))


def without_login_steps(queryset):
    return queryset.exclude(kind__in=LOGIN_STEPS)
