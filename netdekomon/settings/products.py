"""Settings of the product apps."""

from django.core.exceptions import ImproperlyConfigured

from .environment import env

# An import's preview (従業員の一括登録, 明細登録) may be confirmed for this long.
IMPORT_PREVIEW_MINUTES = env.int("IMPORT_PREVIEW_MINUTES", default=30)
if IMPORT_PREVIEW_MINUTES < 1:
    raise ImproperlyConfigured("IMPORT_PREVIEW_MINUTES must be at least 1.")

# 明細登録 mails at most this many employees within the request; the rest are
# mailed by the next run of `send_payslip_notices` (every 10 minutes: docs/deployment.md).
PAYSLIP_NOTICES_IN_REQUEST = env.int("PAYSLIP_NOTICES_IN_REQUEST", default=200)
if PAYSLIP_NOTICES_IN_REQUEST < 0:
    raise ImproperlyConfigured("PAYSLIP_NOTICES_IN_REQUEST must be 0 or more.")
