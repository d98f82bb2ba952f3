"""A browser's user agent in words: browser, OS and device (ua-parser)."""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Described:
    browser: str
    os: str
    device: str

    def __str__(self):
        return "・".join(part for part in (self.browser, self.os, self.device) if part)


def describe(user_agent: str) -> Described:
    """「Chrome 124・Windows 10・パソコン」; 「不明」 for what cannot be told. The one reader of
    user agents: the security log, login history, open sessions and the new-device e-mail."""
    if not (user_agent or "").strip():
        return Described(_("不明な端末"), "", "")
    browser, os_name, kind = _parse(user_agent)
    words = {"pc": _("パソコン"), "phone": _("スマートフォン"), "tablet": _("タブレット"), "": ""}
    return Described(browser or _("不明なブラウザ"), os_name or _("不明なOS"), words[kind])


@lru_cache(maxsize=512)
def _parse(user_agent: str) -> tuple[str, str, str]:
    from ua_parser import parse

    result = parse(user_agent[:300])
    browser = _name(result.user_agent)
    os_name = _name(result.os)
    os_family = result.os.family if result.os else ""
    device = result.device.family if result.device else ""
    if "iPad" in device or "Tablet" in user_agent or (os_family == "Android" and "Mobile" not in user_agent):
        kind = "tablet"
    elif os_family in ("iOS", "Android") or "Mobile" in user_agent:
        kind = "phone"
    elif os_family:
        kind = "pc"
    else:
        kind = ""
    return browser, os_name, kind


def _name(part) -> str:
    if part is None or part.family in ("", "Other"):
        return ""
    return f"{part.family} {part.major}" if part.major else part.family


def device_name(user_agent: str) -> str:
    """「iPhone の Safari」, 「Windows の Chrome」: what a person calls the device
    and browser they are using (the default name of a passkey made on it)."""
    if not (user_agent or "").strip():
        return _("このブラウザ")
    from ua_parser import parse

    result = parse(user_agent[:300])
    browser = result.user_agent.family if result.user_agent and result.user_agent.family != "Other" else ""
    device = result.device.family if result.device else ""
    os_family = result.os.family if result.os and result.os.family != "Other" else ""
    where = device if device in ("iPhone", "iPad") else {"Mac OS X": "Mac", "macOS": "Mac"}.get(os_family, os_family)
    browser = {"Mobile Safari": "Safari", "Chrome Mobile": "Chrome", "Chrome Mobile iOS": "Chrome",
               "Edge Mobile": "Edge", "Firefox Mobile": "Firefox", "Firefox iOS": "Firefox"}.get(browser, browser)
    if where and browser:
        return _("%(device)s の %(browser)s") % {"device": where, "browser": browser}
    return where or browser or _("このブラウザ")
