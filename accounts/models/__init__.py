"""The tables of ``accounts`` (app label ``accounts``; its migrations stay in
``accounts/migrations``), by what they hold:

- ``companies``: ``Tenant``, its 社外からのアクセス制限 (``TenantAccessRule``) and ログインの設定
  (``TenantLoginPolicy``),
- ``people``: ``User`` and its manager,
- ``records``: ``SecurityEvent``, ``UserSession``, ``KnownBrowser``, ``ImportPreview``,
- ``passkeys``: ``Passkey`` and ``PasskeyAttestation`` (django-otp-webauthn's, extended), and the
  回復コード (``RecoveryCodes``, ``RecoveryCode``).

Every name is importable from here, as it always was; migration 0008 names
``accounts.models._new_cache_version``.
"""

from accounts.models.companies import Tenant, TenantAccessRule, TenantLoginPolicy, _new_cache_version
from accounts.models.people import _TEMPORARY_ALPHABET, User, UserManager, UserQuerySet
from accounts.models.passkeys import Passkey, PasskeyAttestation, RecoveryCode, RecoveryCodes
from accounts.models.records import ImportPreview, KnownBrowser, SecurityEvent, UserSession

__all__ = [
    "ImportPreview", "KnownBrowser", "Passkey", "PasskeyAttestation", "RecoveryCode", "RecoveryCodes", "SecurityEvent", "Tenant", "TenantAccessRule",
    "TenantLoginPolicy", "User", "UserManager", "UserQuerySet", "UserSession", "_TEMPORARY_ALPHABET",
    "_new_cache_version",
]
