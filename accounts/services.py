"""Workflows that touch several models, shared by views, admin and commands."""

import secrets

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils import timezone

from . import events
from .hashers import temporary_password_hash
from .models import Tenant, User

# Unambiguous characters for temporary passwords read aloud or from paper.
_TEMP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def temporary_password_generate() -> str:
    return "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(14))


@transaction.atomic
def tenant_create(*, code: str, name: str, with_products: bool = True) -> Tenant:
    tenant = Tenant(code=code, name=name)
    tenant.full_clean()
    tenant.save()
    if with_products:
        from licensing.services import licences_grant_all

        licences_grant_all(tenant=tenant)
    return tenant


def user_create(*, login_id: str, tenant: Tenant | None, name: str = "", email: str = "",
                is_admin: bool = False, password: str | None = None) -> tuple[User, str | None]:
    """Create a user. Without ``password`` a temporary one is generated and returned (once)."""
    from .forms import temporary_password_expiry

    temporary = None
    with transaction.atomic():
        user = User(login_id=login_id, tenant=tenant, name=name, email=email, is_staff=is_admin)
        if password is None:
            temporary = temporary_password_generate()
            user.password = temporary_password_hash(temporary)
            user.password_is_temporary = True
            user.password_expires_at = temporary_password_expiry()
        else:
            user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        if is_admin and tenant is not None:
            from .admin_groups import company_admin_group

            user.groups.add(company_admin_group())
    return user, temporary


def user_change_password(*, user: User, new_password: str, request=None) -> None:
    """Set a password the user chose; other sessions end, this one stays."""
    user.set_password(new_password)
    user.password_is_temporary = False
    user.password_expires_at = None
    user.save(update_fields=["password", "password_is_temporary", "password_expires_at"])
    if request is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
    events.record(request, events.Kind.PASSWORD_CHANGED, user=user,
                  actor=request.user if request is not None else None)
    from .notify import notify_user

    notify_user(user, "password_changed", {"when": timezone.now()})


def user_issue_temporary_password(*, user: User, actor: User, request=None, notify: bool = True) -> str:
    """Give ``user`` a new random temporary password and return it (to be shown once).

    Administrators cannot choose it. It expires after TEMPORARY_PASSWORD_DAYS,
    must be changed at the next full login, and ends every session of the
    user (the password is part of the session hash).
    """
    from .forms import temporary_password_expiry

    temporary = temporary_password_generate()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.password = temporary_password_hash(temporary)
        locked.password_is_temporary = True
        locked.password_expires_at = temporary_password_expiry()
        locked.save(update_fields=["password", "password_is_temporary", "password_expires_at"])
        events.record(request, events.Kind.TEMP_PASSWORD_ISSUED, user=locked, actor=actor,
                      detail=f"by {actor.login_id}")
    for field in ("password", "password_is_temporary", "password_expires_at"):
        setattr(user, field, getattr(locked, field))
    if not notify:  # a new user: there is nothing to warn about yet
        return temporary
    from .notify import notify_user

    notify_user(locked, "temporary_password", {"actor": actor, "when": timezone.now(),
                                               "expires_at": locked.password_expires_at})
    return temporary


def user_reset_2fa(*, user: User, actor: User, request=None) -> int:
    """Reset a user's 2FA (初期化): remove every device, end every session, log, notify.

    The next login starts a fresh setup with a new secret, so codes from the
    old secret (an old authenticator.txt backup, say) stop working. Returns
    the number of devices removed.
    """
    from django_otp import devices_for_user

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        removed = 0
        for device in devices_for_user(locked, confirmed=None):
            device.delete()
            removed += 1
        locked.end_all_sessions()
        locked.save(update_fields=["session_stamp"])
        events.record(request, events.Kind.RESET, user=locked, actor=actor,
                      detail=f"by {actor.login_id}")
    user.session_stamp = locked.session_stamp
    from .notify import notify_user

    notify_user(locked, "reset", {"actor": actor, "self_reset": actor.pk == user.pk, "when": timezone.now()})
    return removed
