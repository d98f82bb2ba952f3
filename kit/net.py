"""Client address of a request, not spoofable unless a proxy is trusted."""

from django.conf import settings


def client_ip(request) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
