"""One assertion posted by many browsers at the same instant logs in once (PostgreSQL: the
unique constraint on the assertion ID decides, not a read before the write)."""

import pytest
from django.test import Client

from accounts.mfa.tests.test_concurrent_verification import run_together
from accounts.models import SecurityEvent
from sso.models import SECOND_FACTOR_NEVER, ConsumedAssertion
from sso.tests import flow

THREADS = 6

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_the_same_assertion_in_concurrent_requests_logs_in_once(on_postgres, acme, employee_a):
    flow.need_xmlsec1()
    idp = flow.provider(acme)
    flow.connect(acme, idp, second_factor=SECOND_FACTOR_NEVER)
    try:
        first = Client()
        request = idp.authn_request(flow.start(first, "acme"))
        xml = idp.response_xml(in_response_to=request.id, destination=flow.ACS.format(code="acme"),
                               audience=flow.AUDIENCE.format(code="acme"), name_id="A1000002")
    finally:
        idp.close()
    clients = [first]
    for _ in range(THREADS - 1):  # each browser holds the same request outstanding (a copied session)
        client = Client()
        session = client.session
        session["_saml2_outstanding_queries"] = {request.id: {"tenant": "acme", "next": "", "test": False}}
        session.save()
        clients.append(client)
    data = {"SAMLResponse": idp.encoded(xml)}
    answers = run_together(clients, lambda client: client.post("/sso/acme/acs/", data)["Location"])
    assert sorted(answers) == ["/"] + ["/accounts/login/"] * (THREADS - 1)
    assert SecurityEvent.objects.filter(kind="login_success", user=employee_a).count() == 1
    assert SecurityEvent.objects.filter(kind="sso_refused", data__reason="replayed").count() == THREADS - 1
    assert ConsumedAssertion.objects.count() == 1
