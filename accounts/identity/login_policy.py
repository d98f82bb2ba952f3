"""ログインの設定 of a company: whether a passkey alone may log its users in
(「パスキーでログイン」, off by default), whether they may use 回復コード (on by
default), and whether its administrators need a passkey for the console (off by
default). Decided here, changed from the console."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from accounts.audit import events
from accounts.models import TenantLoginPolicy


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


def admins_need_passkey(user) -> bool:
    """``user`` is a 会社管理者 of a company that requires a passkey for the console. No query
    for the logged-in user: the backend loads the company's policy with the user."""
    if not (user.tenant_id and user.is_staff):
        return False
    try:
        return user.tenant.login_policy.admins_need_passkey
    except ObjectDoesNotExist:  # the company never changed its ログインの設定
        return False


@transaction.atomic
def login_policy_set(*, tenant, passwordless: bool, actor, recovery_codes: bool = True,
                     admins_need_passkey: bool = False, request=None) -> TenantLoginPolicy:
    """Save the company's policy; recorded (and dated) only when something changed."""
    wanted = {"passwordless": passwordless, "recovery_codes": recovery_codes,
              "admins_need_passkey": admins_need_passkey}
    current = policy_of(tenant)
    if current.pk and all(getattr(current, name) == value for name, value in wanted.items()):
        return current
    policy, _created = TenantLoginPolicy.objects.update_or_create(
        tenant=tenant, defaults={**wanted, "updated_at": timezone.now(), "updated_by": actor})
    events.record(request, events.Kind.LOGIN_POLICY_CHANGED, actor=actor, tenant=tenant, **wanted)
    return policy
