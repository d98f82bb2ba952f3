"""The accepted assertion IDs (each once) do not pile up for ever: an ID older than
SSO_CONSUMED_KEEP_DAYS (long past any assertion's validity) is removed; newer ones stay."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sso import saml
from sso.models import ConsumedAssertion


def answer(assertion_id):
    return SimpleNamespace(assertion=SimpleNamespace(id=assertion_id))


@pytest.mark.django_db
def test_old_accepted_ids_are_removed_when_another_is_consumed(acme, settings):
    settings.SSO_CONSUMED_KEEP_DAYS = 7
    old = ConsumedAssertion.objects.create(assertion_id="_old", tenant=acme,
                                           consumed_at=timezone.now() - timedelta(days=8))
    recent = ConsumedAssertion.objects.create(assertion_id="_recent", tenant=acme,
                                              consumed_at=timezone.now() - timedelta(days=6))
    saml.consume(answer("_new"), acme)
    kept = set(ConsumedAssertion.objects.values_list("assertion_id", flat=True))
    assert kept == {recent.assertion_id, "_new"} and old.assertion_id not in kept
    with pytest.raises(saml.Refused):
        saml.consume(answer("_recent"), acme)
