"""Upload → 確認画面 → 登録: the steps every spreadsheet import shares.

Model-free: the file waits in ``import_previews``; the import itself (read a
file, write its rows) is the caller's. Used by 従業員の一括登録
(``admin_import``) and 明細登録 (``payslips``).
"""

from django.db import transaction

from accounts.people.import_previews import import_preview_claim, import_preview_create, import_preview_discard


def import_upload(*, kind: str, owner, tenant, upload, max_bytes: int, read):
    """Check an upload with ``read(data, filename)`` and keep it for its 確認画面.

    At most ``max_bytes + 1`` bytes are read, so ``read`` can refuse a file
    too large. Returns ``(what read returned, preview)``; an exception of
    ``read`` keeps nothing and reaches the caller.
    """
    data = upload.read(max_bytes + 1)
    result = read(data, upload.name)
    return result, import_preview_create(kind=kind, owner=owner, tenant=tenant, filename=upload.name, data=data)


def import_confirm(*, kind: str, owner, token: str, run, refusals: tuple):
    """Claim the preview of ``token`` and ``run(preview)`` the import in one transaction.

    Returns ``(preview, what run returned)``. ``PreviewRefused`` (unknown,
    another's, confirmed, expired) reaches the caller; so does one of
    ``refusals`` (the file no longer imports), after the preview is
    discarded: nothing was written.
    """
    try:
        with transaction.atomic():
            preview = import_preview_claim(kind=kind, owner=owner, token=token)
            return preview, run(preview)
    except refusals:
        import_preview_discard(kind=kind, owner=owner)
        raise
