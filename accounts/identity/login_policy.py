"""ログインの設定 of a company: whether a passkey alone may log its users in
(「パスキーでログイン」, off by default), whether they may use 回復コード (on by
default), and whether its administrators need a passkey for the console (off by
default). Decided here, changed from the console."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from accounts.audit import events
from accounts.models import RecoveryCodes, TenantLoginPolicy


def policy_of(tenant) -> TenantLoginPolicy:
    """The company's policy; the defaults (not saved) when it never changed it."""
    if tenant is None:
        return TenantLoginPolicy()
    return TenantLoginPolicy.objects.filter(tenant=tenant).first() or TenantLoginPolicy(tenant=tenant)


def passwordless_allowed(user) -> bool:
    """A passkey alone may log ``user`` in: their company allows it (operators: never)."""
    return bool(user.tenant_id) and TenantLoginPolicy.objects.filter(tenant_id=user.tenant_id,
                                                                     passwordless=True).exists()


def passwordless_offered() -> bool:
    """Whether the login page offers 「パスキーでログイン」: some company allows it."""
    return TenantLoginPolicy.objects.filter(passwordless=True).exists()


def policy_loaded(user) -> TenantLoginPolicy | None:
    """The logged-in user's company policy as the backend loaded it (no query), or None."""
    if not user.tenant_id:
        return None
    try:
        return user.tenant.login_policy
    except ObjectDoesNotExist:  # the company never changed its ログインの設定
        return None


def admins_need_passkey(user) -> bool:
    """``user`` is a 会社管理者 of a company that requires a passkey for the console. No query
    for the logged-in user: the backend loads the company's policy with the user."""
    policy = policy_loaded(user) if user.is_staff else None
    return bool(policy and policy.admins_need_passkey)


@transaction.atomic
def login_policy_set(*, tenant, actor, passwordless: bool | None = None, recovery_codes: bool | None = None,
                     admins_need_passkey: bool | None = None, request=None) -> TenantLoginPolicy:
    """Save the company's policy (None: a setting left as it is); recorded (and dated) only
    when something changed. Turning 回復コード off removes the codes already issued."""
    current = policy_of(tenant)
    wanted = {name: getattr(current, name) if value is None else value for name, value in (
        ("passwordless", passwordless), ("recovery_codes", recovery_codes),
        ("admins_need_passkey", admins_need_passkey))}
    if current.pk and all(getattr(current, name) == value for name, value in wanted.items()):
        return current
    now = timezone.now()
    since = current.passkey_required_since if current.admins_need_passkey else now
    policy, _created = TenantLoginPolicy.objects.update_or_create(
        tenant=tenant, defaults={**wanted, "updated_at": now, "updated_by": actor,
                                 "passkey_required_since": since if wanted["admins_need_passkey"] else None})
    if not wanted["recovery_codes"]:
        RecoveryCodes.objects.filter(user__tenant=tenant).delete()
    events.record(request, events.Kind.LOGIN_POLICY_CHANGED, actor=actor, tenant=tenant, **wanted)
    return policy


def settled(passkey, user) -> bool:
    """Where the company requires a passkey of its administrators, ``passkey`` counts at the
    console: registered before the requirement, or PASSKEY_SETTLE_HOURS ago. A relayed login
    (password and code phished together) could register a passkey of its own; the
    registration mail gives the administrator that long to see it and remove it."""
    policy = policy_loaded(user)
    since = policy.passkey_required_since if policy else None
    settle = timedelta(hours=settings.PASSKEY_SETTLE_HOURS)
    return bool(since and passkey.created_at <= since) or timezone.now() - passkey.created_at >= settle
