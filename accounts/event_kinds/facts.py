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
