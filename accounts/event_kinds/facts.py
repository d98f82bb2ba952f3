"""The facts' stored values (``reason``, ``method``, ``mode``, ``where``, ``outcome``)."""

WRONG_PASSWORD = "wrong_password"
WRONG_CURRENT_PASSWORD = "wrong_current_password"
TEMPORARY_PASSWORD_EXPIRED = "temporary_password_expired"
LOCKED = "locked"
PER_ADDRESS = "per_address"
CEILING = "ceiling"
TAKEN = "taken"
LIMIT = "limit"
LIFETIME = "lifetime"
ENDED = "ended"
OTHERS_ENDED = "others_ended"
OUTCOMES = ("approved", "rejected", "accepted", "returned", "completed")
# Why an assertion or a password login was refused (single sign-on, the sso app).
SSO_REASONS = ("invalid", "replayed", "unknown_user", "inactive", "office_ip", "password_required_sso",
               "not_enabled")
