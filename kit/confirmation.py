"""入力 → 確認 → 完了 for the forms that send something (届出申請, 各種届出).

The input page's button posts ``step=confirm``: a valid form is shown back
as a confirmation (``confirmation_rows``) carrying every field hidden, with
「送信する」 (a post without ``step``: the send itself) and 「修正する»
(``step=edit``: the input page again with what was typed). The form's
one-time token travels along, so the send keeps its once-per-form guarantee.
"""

import datetime

from django.utils import formats

CONFIRM, EDIT = "confirm", "edit"


def requested_step(request) -> str:
    """"confirm", "edit", or "" (the send, or a GET)."""
    step = request.POST.get("step", "") if request.method == "POST" else ""
    return step if step in (CONFIRM, EDIT) else ""


def confirmation_rows(form) -> list[tuple[str, str]]:
    """(label, value as the user reads it) of each visible field that was filled in."""
    rows = []
    for bound in form.visible_fields():
        value = form.cleaned_data.get(bound.name)
        if value in (None, "", [], ()):
            continue
        choices = dict(getattr(bound.field, "choices", ()) or ())
        if choices:
            value = choices.get(value, value)
        elif isinstance(value, (datetime.date, datetime.time)):
            value = formats.localize(value)
        rows.append((bound.label, str(value)))
    return rows
