"""What a product app may use from ``accounts`` and ``licensing``, in one place.

The other kit modules need Django only and sit below ``accounts`` (it builds
on them). This one is the facade above ``licensing``: the models a product
points at, the 職務分掌 rules, the upload → preview → confirm flow (previews kept in the database), the
login level of this request and the admin base class of product models.
Product apps import these names from here, never ``accounts.*`` directly
(tests/test_layers.py); portal and the product apps may import it, nothing
below ``licensing`` may.
"""

from accounts.audit.duties import (
    OwnRequest,
    created_by_requester,
    decider_note,
    decision_check,
    decision_record,
    flagged_message,
)
from accounts.models import ImportPreview, Tenant, User
from accounts.people.import_flow import import_confirm, import_upload
from accounts.people.import_previews import PreviewRefused, import_preview_discard
from accounts.policy import login_id_key
from accounts.sessions.state import reached_level
from licensing.admin_mixins import ProductAdmin

__all__ = [
    "ImportPreview", "OwnRequest", "PreviewRefused", "ProductAdmin", "Tenant", "User",
    "created_by_requester", "decider_note", "decision_check", "decision_record",
    "flagged_message", "import_confirm", "import_preview_discard", "import_upload",
    "login_id_key", "reached_level",
]
