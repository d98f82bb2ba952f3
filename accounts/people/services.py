"""Workflows that touch several models, shared by views, admin and commands."""

from django.contrib.auth import update_session_auth_hash
from django.db import transaction

from accounts.audit import events, notices
from accounts.identity.groups import company_admin_group
from accounts.identity.signals import tenant_created
from accounts.mfa import passkeys, recovery
from accounts.mfa.otp import user_devices_remove
from accounts.models import Tenant, User
from accounts.sessions.user_sessions import user_sessions_end


@transaction.atomic
def tenant_create(*, code: str, name: str, with_products: bool = True) -> Tenant:
    tenant = Tenant(code=code, name=name)
    tenant.full_clean()
    tenant.save()
    tenant_created.send(sender=Tenant, tenant=tenant, with_products=with_products)
    return tenant


def user_create(*, login_id: str, tenant: Tenant | None, name: str = "", email: str = "",
                is_admin: bool = False, password: str | None = None,
                created_by: User | None = None) -> tuple[User, str | None]:
    """Create a user. Without ``password`` a temporary one is generated and returned (once).
    ``created_by``: the administrator registering the account (segregation of duties)."""
    temporary = None
    with transaction.atomic():
        user = User(login_id=login_id, tenant=tenant, name=name, email=email, is_staff=is_admin,
                    created_by=created_by)
        if password is None:
            temporary = user.set_temporary_password()
        else:
            user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        if is_admin and tenant is not None:
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
    user_sessions_end(user=user, keep=request, by_new_hash=True)
    notices.mail_event(events.record(request, events.Kind.PASSWORD_CHANGED, user=user,
                                     actor=request.user if request is not None else None))


def user_issue_temporary_password(*, user: User, actor: User, request=None, notify: bool = True) -> str:
    """Give ``user`` a new random temporary password and return it (to be shown once).

    Administrators cannot choose it. It expires after TEMPORARY_PASSWORD_DAYS,
    must be changed at the next full login, and ends every session of the
    user (the password is part of the session hash).
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        temporary = locked.set_temporary_password()
        locked.save(update_fields=["password", "password_is_temporary", "password_expires_at"])
        issued = events.record(request, events.Kind.TEMP_PASSWORD_ISSUED, user=locked, actor=actor)
        user_sessions_end(user=locked, by_new_hash=True)
    for field in ("password", "password_is_temporary", "password_expires_at"):
        setattr(user, field, getattr(locked, field))
    if not notify:  # a new user: there is nothing to warn about yet
        return temporary
    notices.mail_event(issued)
    return temporary


def user_reset_2fa(*, user: User, actor: User, request=None) -> int:
    """Reset a user's 2FA (初期化): remove every device (the app's key and the passkeys),
    end every session, log (with how many passkeys went), notify.

    The next login starts a fresh setup with a new secret, so codes from the
    old secret (an old authenticator.txt backup, say) stop working. Returns
    the number of devices removed.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        passkey_count = passkeys.user_passkeys(locked).count()
        removed = user_devices_remove(locked)
        locked.end_all_sessions()
        locked.save(update_fields=["session_stamp"])
        user_sessions_end(user=locked, keep=request, by_new_hash=True)  # a self reset keeps its own session (the view)
        reset = events.record(request, events.Kind.RESET, user=locked, actor=actor,
                              **({"passkeys": passkey_count} if passkey_count else {}))
    user.session_stamp = locked.session_stamp
    notices.mail_event(reset)
    return removed


def user_notify_new_device(*, user: User, request) -> bool:
    """A login completed from a browser that never completed one as ``user``:
    record it and mail the user (no mail without an address). True when mailed."""
    return notices.mail_event(events.record(request, events.Kind.NEW_DEVICE, user=user))


def user_add_passkey(*, user: User, request, answer: str, name: str):
    """Keep the passkey the browser just made (Refused when it does not verify); recorded and mailed."""
    device = passkeys.register(request, user, answer, name)
    notices.mail_event(events.record(request, events.Kind.PASSKEY_ADDED, user=user, actor=user, name=device.name))
    return device


def user_remove_passkey(*, user: User, device, request) -> None:
    """Remove one of ``user``'s passkeys; recorded and mailed."""
    name = device.name
    device.delete()
    notices.mail_event(events.record(request, events.Kind.PASSKEY_REMOVED, user=user, actor=user, name=name))


def user_issue_recovery_codes(*, user: User, request=None) -> list[str]:
    """Ten new 回復コード for ``user`` (shown once; the old ones end); recorded and mailed."""
    codes = recovery.issue(user)
    notices.mail_event(events.record(request, events.Kind.RECOVERY_CODES_ISSUED, user=user, actor=user))
    return codes
