"""System checks for the access policy (ids accounts.E003…; the login gate's order: accounts.E001, E002, E005 in
accounts.sessions.gate) and the passkeys' relying party (accounts.E030–E032, W030)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host
from kit.access import declared_level
from accounts.mfa.code_backoff import MAX_CODES_PER_DAY, evaluated_codes_per_day
from accounts.event_kinds import KINDS, Kind


@register(Tags.security, Tags.urls)
def check_views_declared(app_configs=None, **kwargs):
    """Every URL pattern's view declares an access level."""
    from django.urls import get_resolver

    errors = []
    for route, callback in iter_patterns(get_resolver().url_patterns):
        if declared_level(callback) is None:
            name = f"{callback.__module__}.{getattr(callback, '__qualname__', callback)}"
            errors.append(Error(
                f"The view {name} at '{route}' has no access declaration; it is closed to everyone.",
                hint="Decorate it with @access(Access.PUBLIC | LOGIN | LIMITED | FULL) "
                     "from kit.access, or wrap third-party URLconfs with declare_patterns().",
                id="accounts.E003",
            ))
    return errors


def iter_patterns(patterns, prefix=""):
    """(route, callback) of every URL pattern, included ones too."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from iter_patterns(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


@register(Tags.security)
def check_code_backoff(app_configs=None, **kwargs):
    """The capped code back-off still lets at most 100 codes a day be evaluated."""
    if settings.OTP_THROTTLE_MAX_DELAY_SECONDS <= 0:
        return [Error("OTP_THROTTLE_MAX_DELAY_SECONDS must be positive.", id="accounts.E004")]
    per_day = evaluated_codes_per_day()
    if per_day > MAX_CODES_PER_DAY:
        return [Error(
            f"With OTP_THROTTLE_MAX_DELAY_SECONDS={settings.OTP_THROTTLE_MAX_DELAY_SECONDS} an attacker "
            f"gets {per_day} evaluated codes a day, more than {MAX_CODES_PER_DAY}.",
            hint="Raise OTP_THROTTLE_MAX_DELAY_SECONDS (the default 1200 s allows 82).",
            id="accounts.E004",
        )]
    return []


@register()
def check_event_kinds(app_configs=None, **kwargs):
    """Every security event kind has its entry in the registry (facts and words), and no more."""

    errors = [Error(f"The security event kind {kind!r} has no entry in accounts.event_kinds.KINDS.",
                    hint="Add its Audit entry (fields, sentence, history): the console and "
                         "ログイン履歴 would show it without words.", id="accounts.E020")
              for kind in Kind.values if kind not in KINDS]
    errors += [Error(f"accounts.event_kinds.KINDS names {kind!r}, which is not a Kind.",
                     hint="Add it to event_kinds.Kind with its Japanese name.", id="accounts.E021")
               for kind in KINDS if kind not in Kind.values]
    return errors


@register(Tags.security)
def check_relying_party(app_configs=None, **kwargs):
    """With DEBUG off, every origin is written as a browser sends it (https://host, a port
    only when not 443; py_webauthn compares the strings exactly), is on the relying-party
    ID's domain and is one of ALLOWED_HOSTS: otherwise passkeys would fail at every
    login, or work on a host the service does not answer on."""
    if not settings.PASSKEY_CHECK_ORIGINS:
        return []
    rp_id = settings.PASSKEY_RP_ID
    errors = []
    if rp_id == "localhost":
        errors.append(Warning("PASSKEY_RP_ID is localhost: passkeys work only on this machine.",
                                     hint="Set PASSKEY_RP_ID to the service's domain.", id="accounts.W030"))
    for origin in settings.OTP_WEBAUTHN_ALLOWED_ORIGINS:
        try:
            parts = urlsplit(origin)
            host, port = parts.hostname or "", parts.port
        except ValueError:
            host, port, parts = "", None, None
        exact = f"https://{host}" + (f":{port}" if port not in (None, 443) else "")
        if parts is None or not host or origin != exact:
            errors.append(Error(
                f"The passkey origin {origin!r} is not written as a browser sends it ({exact!r}).",
                hint="Set PASSKEY_ORIGINS to https://host (lower case, no path, a port only when not 443).",
                id="accounts.E030"))
        elif host != rp_id and not host.endswith("." + rp_id):
            errors.append(Error(f"The passkey origin {origin!r} is not on the relying-party ID {rp_id!r}.",
                                       hint="PASSKEY_RP_ID must be the origins' domain or a parent domain of them.",
                                       id="accounts.E031"))
        elif not validate_host(host, settings.ALLOWED_HOSTS):
            errors.append(Error(f"The passkey origin {origin!r} is not in ALLOWED_HOSTS.",
                                       hint="Every origin of PASSKEY_ORIGINS must be a host the service answers on.",
                                       id="accounts.E032"))
    return errors
