"""The console's front page: where 2FA enrolment of the company stands."""

from django import template
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.identity import login_policy
from accounts.sessions.office_ip import rule_of
from accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def enrolment_counts(context):
    """For a company administrator: employees without 2FA, on a temporary
    password, and with an expired one, each with its filtered list (active
    employees only). Operators (no company) get nothing."""
    user = context["request"].user
    if user.tenant_id is None:
        return []

    now = timezone.now()
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    not_expired = Q(password_expires_at__isnull=True) | Q(password_expires_at__gt=now)
    active = User.objects.filter(tenant_id=user.tenant_id, is_active=True, is_superuser=False)
    counts = active.annotate(has_device=Exists(devices)).aggregate(
        no_2fa=_count(Q(has_device=False)),
        temporary=_count(Q(password_is_temporary=True) & not_expired),
        expired=_count(Q(password_is_temporary=True, password_expires_at__lte=now)),
    )
    url = reverse("admin:accounts_user_changelist")
    return [
        {"label": _("2要素認証が未設定"), "count": counts["no_2fa"], "url": f"{url}?is_active__exact=1&two_factor=no"},
        {"label": _("仮パスワードのまま"), "count": counts["temporary"], "url": f"{url}?is_active__exact=1&password_state=temporary"},
        {"label": _("仮パスワードの期限切れ（再発行が必要）"), "count": counts["expired"],
         "url": f"{url}?is_active__exact=1&password_state=expired"},
    ]


def _count(condition):
    from django.db.models import Count

    return Count("pk", filter=condition)


@register.simple_tag(takes_context=True)
def office_ip_setting(context):
    """For a company administrator: their company's 社外からのアクセス制限, in words, with its page."""
    request = context["request"]
    user = request.user
    if user.tenant_id is None or not user.has_perm("accounts.change_tenantaccessrule"):
        return None

    rule = rule_of(user.tenant)
    if rule.enabled:
        state = _("制限あり（許可するアドレス %(count)d 件）") % {"count": len(rule.network_lines)}
        if rule.limited_anywhere:
            state += _("・就業打刻・明細閲覧は社外からも可")
    else:
        state = _("制限なし（どこからでも利用できます）")
    return {"url": reverse("admin:accounts_tenant_ip_restriction", args=[user.tenant_id]), "state": state}


@register.simple_tag(takes_context=True)
def login_policy_setting(context):
    """For a company administrator: their company's ログインの設定, in words, with its page."""
    user = context["request"].user
    if user.tenant_id is None or not user.has_perm("accounts.change_tenantloginpolicy"):
        return None
    passwordless = login_policy.policy_of(user.tenant).passwordless
    state = _("パスキーだけでのログインを許可") if passwordless else _("ID・パスワード・認証コード（パスキーは認証コードの代わり）")
    return {"url": reverse("admin:accounts_tenant_login_policy", args=[user.tenant_id]), "state": state}


@register.simple_tag(takes_context=True)
def contact_setting(context):
    """For a company administrator: their company's 問い合わせ先, with its page."""
    user = context["request"].user
    if user.tenant_id is None or not user.has_perm("accounts.change_tenantloginpolicy"):
        return None
    return {"url": reverse("admin:accounts_tenant_contact", args=[user.tenant_id]),
            "state": user.tenant.contact or _("未設定（「会社の管理者にお問い合わせください」と表示）")}
