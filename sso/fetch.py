"""Reading the provider's metadata from a URL a company administrator typed: https only, a
public address only (no loopback, private, link-local, reserved or multicast address:
no request into our own network), no redirect, 1MB at most, the configured timeout."""

import ipaddress
import socket
from urllib.parse import urlsplit

import certifi
import urllib3
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

METADATA_LIMIT = 1024 * 1024  # bytes of metadata read, from a file or a URL

NOT_HTTPS = _("メタデータのURLは https:// で始まるURLを入力してください。")
UNREADABLE = _("メタデータのURLから読み込めませんでした。URLを確認するか、XMLファイルをアップロードしてください。")
NOT_PUBLIC = _("メタデータのURLは、インターネット上の公開アドレスのものだけを指定できます。")
TOO_LARGE = _("メタデータが大きすぎます（1MBまで）。")


def public_address(host: str, port: int) -> str:
    """The one address ``host`` is fetched from: every address it resolves to must be a
    public one (not loopback, private, link-local, reserved, multicast), or none is used."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise forms.ValidationError(UNREADABLE) from None
    addresses = []
    for *_ignored, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast or address.is_reserved:
            raise forms.ValidationError(NOT_PUBLIC)
        addresses.append(str(address))
    if not addresses:
        raise forms.ValidationError(UNREADABLE)
    return addresses[0]


def fetch_metadata(url: str) -> str:
    """The provider's metadata at ``url`` (https only, a public address only, no redirect),
    read once; ValidationError when it cannot be. The connection goes to the address
    checked (no second look-up a DNS rebinding could answer differently); the
    certificate is still checked against the host name."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise forms.ValidationError(NOT_HTTPS)
    try:
        port = parts.port or 443
    except ValueError:
        raise forms.ValidationError(UNREADABLE) from None
    host = parts.hostname
    address = public_address(host, port)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pool = urllib3.HTTPSConnectionPool(
        address, port, server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(),
        timeout=settings.SSO_METADATA_TIMEOUT_SECONDS, retries=False, maxsize=1)
    try:
        response = pool.urlopen("GET", path, headers={"Host": parts.netloc.rsplit("@", 1)[-1]},
                                redirect=False, preload_content=False)
        try:
            if response.status != 200:
                raise forms.ValidationError(UNREADABLE)
            body = response.read(METADATA_LIMIT + 1)
        finally:
            response.release_conn()
    except (urllib3.exceptions.HTTPError, OSError, ValueError):
        raise forms.ValidationError(UNREADABLE) from None
    finally:
        pool.close()
    if len(body) > METADATA_LIMIT:
        raise forms.ValidationError(TOO_LARGE)
    return body.decode("utf-8", errors="replace")
