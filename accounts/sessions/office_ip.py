"""社外からのアクセス制限: a company lets its users in only from listed addresses.

The one place that decides it. A company's ``TenantAccessRule`` lists IPv4/
IPv6 addresses and CIDR ranges (up to 100); when it is on:

- the password step refuses a login from any other address, after the
  password was checked (``accounts.login.forms.LoginForm``): a wrong password gets
  the usual message, so the page never tells who belongs to a restricted
  company; only someone who knows the password learns about the restriction;
- with 「就業打刻・明細閲覧は社外からも許可する」 a B-ID may still log in from
  anywhere, but the choice step offers only the limited mode there;
- the login gate's ``office_ip`` guard refuses open sessions on their next
  request (a full-mode session from outside even with the exception), with the page
  「社外からのアクセスは会社の設定により制限されています」 (403) and one
  ``office_ip_refused`` event per session.

The client address is ``kit.net.client_ip`` (a forged X-Forwarded-For
decides nothing unless TRUSTED_PROXY_COUNT trusts a proxy). Operators (no
tenant) are never restricted. The rule is loaded with the user
(``LoginIdBackend.get_user``): the check costs no query of its own.
"""

import ipaddress
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import events
from accounts.models import TenantAccessRule
from kit.net import client_ip

REFUSED_SESSION_KEY = "netdekomon_office_ip_refused"  # the session's refusal is already recorded
LOGIN = "login"  # ``where`` of an office_ip_refused event: the password step
SESSION = "session"  # an open session's request


# --- Parsing -------------------------------------------------------------------

def parse_networks(entries) -> tuple[list[str], list[tuple[int, str]]]:
    """The normalised networks of ``entries`` (one address or range each; blanks
    skipped, duplicates dropped) and the problems as (1-based position, message)."""
    networks, errors = [], []
    for position, raw in enumerate(entries, start=1):
        value = str(raw).strip()
        if not value:
            continue
        try:
            network = _network(value)
        except ValidationError as error:
            errors.append((position, error.messages[0]))
            continue
        text = display(network)
        if text not in networks:
            networks.append(text)
    if len(networks) > TenantAccessRule.MAX_NETWORKS:
        errors.append((0, _("登録できるのは %(max)d 件までです（%(count)d 件あります）。")
                       % {"max": TenantAccessRule.MAX_NETWORKS, "count": len(networks)}))
    return networks, errors


def _network(value: str):
    if "\x00" in value or len(value) > 100:
        raise ValidationError(_("IPアドレスまたは範囲（CIDR）として読めません。"))
    try:
        network = ipaddress.ip_network(value)
    except ValueError:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValidationError(_("「%(value)s」はIPアドレスまたは範囲（CIDR）として読めません。")
                                  % {"value": value}) from None
        raise ValidationError(_("「%(value)s」は範囲の先頭のアドレスではありません。範囲なら %(network)s と入力してください。")
                              % {"value": value, "network": display(loose)}) from None
    if network.prefixlen == 0:
        raise ValidationError(_("「%(value)s」はすべてのアドレスを含むため指定できません。"
                                "制限しない場合は「社外からのアクセスを制限する」を外してください。") % {"value": value})
    return network


def display(network) -> str:
    """203.0.113.5 for a single address, 203.0.113.0/24 for a range."""
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    return str(network)


def parse_ip(value: str):
    """The client address as an ip_address (an IPv4-mapped IPv6 address as IPv4), or None."""
    try:
        ip = ipaddress.ip_address((value or "").split("%", 1)[0])
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def contains(networks, ip_text: str) -> bool:
    ip = parse_ip(ip_text)
    return ip is not None and any(ip.version == net.version and ip in net for net in networks)


# --- Deciding ------------------------------------------------------------------

def rule_for(user) -> TenantAccessRule | None:
    """The rule restricting ``user``, or None (no company, an operator, off)."""
    if user is None or not getattr(user, "pk", None) or user.tenant_id is None or user.is_operator:
        return None
    try:
        rule = user.tenant.access_rule  # loaded with the user by LoginIdBackend.get_user
    except ObjectDoesNotExist:
        return None
    return rule if rule.enabled else None


def inside(rule: TenantAccessRule | None, request) -> bool:
    return rule is None or contains(rule.networks(), client_ip(request))


def limited_from_anywhere(rule: TenantAccessRule | None, user) -> bool:
    """Outside, the user may still use the limited mode (the company's exception, B-IDs only)."""
    return rule is not None and rule.limited_anywhere and user.may_use_limited_mode


@dataclass
class LoginDecision:
    allowed: bool
    limited_only: bool = False


def login_decision(user, request) -> LoginDecision:
    """At the password step (the password was right): may ``user`` log in from here?"""
    rule = rule_for(user)
    if inside(rule, request):
        return LoginDecision(True)
    if limited_from_anywhere(rule, user):
        return LoginDecision(True, limited_only=True)
    return LoginDecision(False)


def limited_only_here(user, request) -> bool:
    """The choice step: from here, only 「就業打刻・明細閲覧のみ利用する」 may be chosen."""
    rule = rule_for(user)
    return not inside(rule, request) and limited_from_anywhere(rule, user)


def record_login_refused(request, user) -> None:
    events.record(request, events.Kind.OFFICE_IP_REFUSED, user=user, where=LOGIN)


# --- Open sessions ---------------------------------------------------------------
# The login gate's ``office_ip`` guard (accounts.sessions.guards) refuses a
# restricted company's open sessions outside its addresses with this page.

def refuse(request, user, *, limited_anywhere: bool, limited_session: bool):
    """「社外からのアクセスは会社の設定により制限されています」 (403), recorded once per session."""
    if not request.session.get(REFUSED_SESSION_KEY):
        request.session[REFUSED_SESSION_KEY] = True
        events.record(request, events.Kind.OFFICE_IP_REFUSED, user=user, where=SESSION)
    return render(request, "accounts/office_ip_refused.html", {
        "ip_address": client_ip(request),
        "limited_anywhere": limited_anywhere,
        "back_to_portal": limited_anywhere and limited_session,
    }, status=403)


# --- Setting it ------------------------------------------------------------------

def rule_of(tenant) -> TenantAccessRule:
    """The company's rule (an unsaved, switched-off one when it never had one)."""
    return TenantAccessRule.objects.filter(tenant=tenant).first() or TenantAccessRule(tenant=tenant)


def check_rule(*, enabled: bool, networks: list[str]) -> list[str]:
    """Problems of a rule about to be saved, beyond its lines."""
    if enabled and not networks:
        return [_("社外からのアクセスを制限するには、許可するIPアドレスを1件以上入力してください。")]
    return []


def locks_out(*, tenant, enabled: bool, networks: list[str], actor, request) -> bool:
    """Saving this would refuse the administrator's own address (their company, on, not listed)."""
    if not enabled or actor is None or actor.tenant_id != tenant.pk or actor.is_operator:
        return False
    parsed = [ipaddress.ip_network(line, strict=False) for line in networks]
    return not contains(parsed, client_ip(request))


def access_rule_set(*, tenant, enabled: bool, networks: list[str], limited_anywhere: bool,
                    actor=None, request=None) -> TenantAccessRule:
    """Save the company's rule (normalised ``networks``) and record the change."""
    with transaction.atomic():
        rule, _created = TenantAccessRule.objects.select_for_update().get_or_create(tenant=tenant)
        before = (rule.enabled, rule.allowed_networks, rule.limited_anywhere)
        rule.enabled = enabled
        rule.allowed_networks = "\n".join(networks)
        rule.limited_anywhere = limited_anywhere
        if (rule.enabled, rule.allowed_networks, rule.limited_anywhere) != before:
            rule.updated_at = timezone.now()
            rule.updated_by = actor if actor is not None and actor.pk else None
            rule.save()
            events.record(request, events.Kind.OFFICE_IP_CHANGED, actor=actor, tenant=tenant, **summary(rule))
    return rule


def summary(rule) -> dict:
    """The facts of an office_ip_changed event: ``enabled``, and when on, ``networks`` and ``limited_anywhere``."""
    if not rule.enabled:
        return {"enabled": False}
    return {"enabled": True, "networks": len(rule.network_lines), "limited_anywhere": rule.limited_anywhere}
