"""A company administrator creating an employee learns nothing about other
companies' login IDs (outside test finding 4).

Before: adding another company's ID, a look-alike spelling of it or an
operator's ID answered 「このログインIDは既に使われているか…」 while an unused ID
was created, so IDs of every company could be probed one request at a time.
Now every such ID gets one generic refusal, recorded in the security log,
and after LOGIN_ID_REFUSAL_LIMIT of them in 24 hours every new ID is
refused for that company (accounts/identity/login_ids.py).
"""

import pytest
from django.conf import settings

from accounts.models import SecurityEvent, User
from tests.helpers import session_full

USERS_ADD = "/admin/accounts/user/add/"
GENERIC = "このログインIDは使用できません"
LIMITED = "新しいログインIDを登録できません"


@pytest.fixture
def console(client, admin_a):
    return session_full(client, admin_a)


def add(console, login_id):
    return console.post(USERS_ADD, {"login_id": login_id, "name": "新入 社員", "is_active": "on"})


@pytest.mark.parametrize("login_id", ["A2000001", "a2000001", "A2OOOOO1", "Ａ２０００００１", "A9000001"])
def test_other_companies_and_operators_ids_get_one_generic_refusal(console, other_admin, operator, login_id):
    html = add(console, login_id).content.decode()
    assert GENERIC in html
    assert "既に使われて" not in html and "既に存在" not in html
    assert User.objects.filter(tenant=other_admin.tenant).count() == 1
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_ID_REFUSED)
    assert event.actor.login_id == "A1000001" and event.tenant.code == "acme"  # in the company's own log


def test_own_companys_id_names_the_colleague(console, employee_a):
    html = add(console, "A1OOOOO2").content.decode()
    assert "自社の A1000002 佐藤 一郎 が使っています" in html
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_ID_REFUSED).exists()


def test_after_the_limit_every_new_id_is_refused(console, acme, other_tenant):
    from tests.helpers import make_user

    limit = settings.LOGIN_ID_REFUSAL_LIMIT
    for n in range(limit + 1):
        make_user(f"B5{n:06d}", other_tenant)
    for n in range(limit):
        assert GENERIC in add(console, f"B5{n:06d}").content.decode()
    # Taken or free, the answer is now the same: nothing more to learn today.
    taken = add(console, f"B5{limit:06d}").content.decode()
    free = add(console, "B6000001").content.decode()
    assert LIMITED in taken and LIMITED in free and GENERIC not in taken
    assert not User.objects.filter(login_id="B6000001").exists()
    # A day later the company can add employees again.
    from datetime import timedelta

    from django.db.models import F
    SecurityEvent.objects.update(created_at=F("created_at") - timedelta(hours=25))
    assert add(console, "B6000001").status_code == 200
    assert User.objects.get(login_id="B6000001").tenant == acme


def test_free_id_is_created(console, acme):
    assert add(console, "B6000002").status_code == 200
    assert User.objects.get(login_id="B6000002").tenant == acme


def test_operators_are_told_plainly(client, operator, other_admin):
    from tests.helpers import add_device

    add_device(operator)
    client = session_full(client, operator)
    html = client.post(USERS_ADD, {"login_id": "A2000001", "tenant": other_admin.tenant.pk,
                                   "is_active": "on"}).content.decode()
    assert "既に使われているか" in html
