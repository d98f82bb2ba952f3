"""Uploads waiting for their confirmation (従業員の一括登録, 明細登録).

One mechanism for every import with a 確認画面: ``import_preview_create``
keeps the uploaded file in the database with its owner, company, kind and
expiry under a random token that the preview page posts back;
``import_preview_claim`` hands the file over once, to its owner only, inside
the caller's transaction: a conditional UPDATE sets ``confirmed_at`` where
it is still empty, so a second confirmation (a double click, a second tab,
a replayed form) finds nothing to claim, and if the import then fails the
claim is rolled back with it.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ImportPreview, Tenant, User


class PreviewRefused(Exception):
    """The confirmation was refused; the message says why, for the user."""


def import_preview_create(*, kind: str, owner: User, tenant: Tenant, filename: str,
                          data: bytes) -> ImportPreview:
    """Keep ``data`` until it is confirmed or expires; forget the owner's older previews of ``kind``."""
    now = timezone.now()
    ImportPreview.objects.filter(expires_at__lt=now).delete()  # everyone's expired ones
    import_preview_discard(kind=kind, owner=owner)
    return ImportPreview.objects.create(
        token=secrets.token_hex(32), kind=kind, owner=owner, tenant=tenant,
        filename=filename[:100], data=data, created_at=now,
        expires_at=now + timedelta(minutes=settings.IMPORT_PREVIEW_MINUTES))


def import_preview_discard(*, kind: str, owner: User) -> None:
    """An abandoned preview (the upload page opened again, 「キャンセル」) is deleted."""
    ImportPreview.objects.filter(kind=kind, owner=owner, confirmed_at__isnull=True).delete()


def import_preview_claim(*, kind: str, owner: User, token: str) -> ImportPreview:
    """The preview of ``token``, claimed once for ``owner``; call inside ``transaction.atomic``.

    Raises ``PreviewRefused`` for another administrator's preview (told the
    same as an unknown one), a confirmed or an expired one.
    """
    assert transaction.get_connection().in_atomic_block, "claim inside the import's transaction"
    now = timezone.now()
    mine = ImportPreview.objects.filter(token=str(token)[:64], kind=kind, owner=owner)
    if mine.filter(confirmed_at__isnull=True, expires_at__gt=now).update(confirmed_at=now) == 1:
        preview = mine.get()
        ImportPreview.objects.filter(pk=preview.pk).update(data=b"")  # claimed: the bytes are not kept
        return preview
    found = mine.only("confirmed_at", "expires_at").first()
    if found is None:
        raise PreviewRefused(_("この確認画面は見つかりません。ご自身でアップロードしたファイルだけを登録できます。"
                               "ファイルをもう一度選んでください。"))
    if found.confirmed_at is not None:
        raise PreviewRefused(_("このファイルはすでに登録済みです。二重には登録しません。"))
    found.delete()
    raise PreviewRefused(_("確認画面の有効期限（%(minutes)s 分）が切れました。ファイルをもう一度選んでください。")
                         % {"minutes": settings.IMPORT_PREVIEW_MINUTES})


def import_preview_open(*, kind: str, owner: User, token: str) -> ImportPreview:
    """The owner's preview of ``token`` still waiting for its confirmation, to read it again
    (another 列の対応); ``PreviewRefused`` as ``import_preview_claim`` words it."""
    found = ImportPreview.objects.filter(token=str(token)[:64], kind=kind, owner=owner,
                                         confirmed_at__isnull=True, expires_at__gt=timezone.now()).first()
    if found is None:
        raise PreviewRefused(_("確認画面の有効期限が切れたか、すでに登録済みです。ファイルをもう一度選んでください。"))
    return found
