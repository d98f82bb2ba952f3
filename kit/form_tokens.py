"""One-time form tokens: a create form sent twice creates one row.

Every rendering of a create form carries a fresh random token in a hidden
field. The model stores it under a unique constraint on (user, token), so a
double click, a resent form or two requests racing each other insert at most
one row: the service inserts inside a savepoint, and on the IntegrityError
returns the row the first submission made (the same idea as the punch's
token in attendance). Tokens are unique per user only, so two users can
never collide, and a lookup by token never finds another user's row.
"""

import secrets

from django import forms
from django.core.validators import RegexValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

TOKEN_LENGTH = 32

ALREADY_SENT = _("この内容は既に送信されています。")
UNUSABLE_TOKEN = _("送信内容を確認できませんでした。入力内容を確かめて、もう一度送信してください。")


def new_form_token() -> str:
    """A one-time token for one rendering of a create form."""
    return secrets.token_hex(TOKEN_LENGTH // 2)


def create_once(create, *, earlier):
    """Insert a row once per form token: ``(row, created)``.

    ``create()`` inserts the row carrying the token (and whatever goes with
    it) inside a savepoint; when the product's unique constraint on
    (user, token) refuses it, the savepoint drops everything ``create`` did
    (a queued mail too) and ``earlier()`` — the row the first submission
    made, or None — is returned with ``created=False``. An IntegrityError
    with no earlier row is another constraint and is raised.
    """
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        row = earlier()
        if row is None:  # another constraint: not a resent form
            raise
        return row, False


class OneTimeTokenMixin:
    """Adds the hidden ``token`` field to a form.

    A missing or malformed token is a non-field error (never a 500), and
    the form shown again then carries a fresh token, so sending it once
    more works; the user's input is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"] = forms.CharField(
            widget=forms.HiddenInput, initial=new_form_token,
            min_length=TOKEN_LENGTH, max_length=TOKEN_LENGTH,
            validators=[RegexValidator(rf"^[0-9a-f]{{{TOKEN_LENGTH}}}\Z")],
        )

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors and "token" in self._errors:
            del self._errors["token"]
            self.add_error(None, UNUSABLE_TOKEN)
            self.data = self.data.copy()
            self.data[self.add_prefix("token")] = new_form_token()
