"""Refusals whose message is meant for the person refused.

``raise Refused(_("…"))`` answers 403 like ``PermissionDenied``; the site's
403 page shows its message (a plain ``PermissionDenied`` gets the general
text, so no internal message reaches a user by accident).
"""

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """A 403 with a message written for the user (translated text)."""
