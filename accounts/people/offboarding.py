"""退職 (offboarding) and its undoing, one user at a time.

Offboarding makes the account inactive, ends every session, removes every
2FA device and records an ``offboarded`` event. Nothing the employee made
is deleted: punches, payslips and forms stay with the company. Bringing the
account back (``user_reactivate``) issues a fresh temporary password, and
with no device left the next login starts a fresh 2FA setup: whoever held
the old password or the old authenticator gets nothing back.
"""

from django.db import transaction

from accounts.audit import events
from accounts.mfa.otp import user_devices_remove
from accounts.models import User
from accounts.sessions.user_sessions import user_sessions_end


def user_offboard(*, user: User, actor: User | None, request=None) -> bool:
    """Offboard ``user``; False when the account was already inactive."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            return False
        user_devices_remove(locked)
        locked.is_active = False
        locked.end_all_sessions()
        locked.save(update_fields=["is_active", "session_stamp"])
        user_sessions_end(user=locked, by_new_hash=True)
        events.record(request, events.Kind.OFFBOARDED, user=locked, actor=actor)
    user.is_active, user.session_stamp = locked.is_active, locked.session_stamp
    return True


def user_reactivate(*, user: User, actor: User | None, request=None) -> str:
    """Make an offboarded ``user`` active again; returns the new temporary password (show once)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        user_devices_remove(locked)
        locked.is_active = True
        temporary = locked.set_temporary_password()
        locked.end_all_sessions()
        locked.save(update_fields=["is_active", "password", "password_is_temporary",
                                   "password_expires_at", "session_stamp"])
        user_sessions_end(user=locked, by_new_hash=True)
        events.record(request, events.Kind.REACTIVATED, user=locked, actor=actor)
        events.record(request, events.Kind.TEMP_PASSWORD_ISSUED, user=locked, actor=actor)
    for field in ("is_active", "password", "password_is_temporary", "password_expires_at", "session_stamp"):
        setattr(user, field, getattr(locked, field))
    return temporary
