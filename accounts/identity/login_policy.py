"""ログインの設定 of a company: whether a passkey alone may log its users in
(「パスキーでログイン」, off by default) and whether they may use 回復コード (on by
default). Decided here, changed from the console."""

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


@transaction.atomic
def login_policy_set(*, tenant, passwordless: bool, actor, recovery_codes: bool = True,
                     request=None) -> TenantLoginPolicy:
    """Save the company's policy; recorded (and dated) only when something changed."""
    current = policy_of(tenant)
    if current.pk and (current.passwordless, current.recovery_codes) == (passwordless, recovery_codes):
        return current
    policy, _created = TenantLoginPolicy.objects.update_or_create(
        tenant=tenant, defaults={"passwordless": passwordless, "recovery_codes": recovery_codes,
                                 "updated_at": timezone.now(), "updated_by": actor})
    events.record(request, events.Kind.LOGIN_POLICY_CHANGED, actor=actor, tenant=tenant, passwordless=passwordless,
                  recovery_codes=recovery_codes)
    return policy
