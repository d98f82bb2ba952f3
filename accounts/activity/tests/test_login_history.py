"""ログイン履歴: the user's own events of the last 90 days, in Japanese, never another user's."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.audit import events
from accounts.models import SecurityEvent
from tests.helpers import post_choice, post_login, session_full

UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/124.0 Mobile Safari/537.36")


def test_history_shows_own_events_in_words(client, employee_b, other_user, admin_a):
    phone = Client(HTTP_USER_AGENT=UA, REMOTE_ADDR="198.51.100.20")
    post_login(phone, employee_b.login_id, password="wrong-password-1")
    post_login(phone, employee_b.login_id)
    post_choice(phone, "limited")
    events.record(None, events.Kind.TEMP_PASSWORD_ISSUED, user=employee_b, actor=admin_a)
    events.record(None, events.Kind.RESET, user=employee_b, actor=employee_b)
    stranger = Client(HTTP_USER_AGENT=UA, REMOTE_ADDR="192.0.2.99")
    post_login(stranger, other_user.login_id, password="wrong-password-1")  # another user's failure
    old = events.record(None, events.Kind.LOGIN_SUCCESS, user=employee_b, method="code")
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91),
                                                   ip_address="192.0.2.91")
    events.record(None, events.Kind.LOGIN_ID_REFUSED, actor=employee_b, login_id="B9999999")

    employee_b.refresh_from_db()
    session_full(client, employee_b)
    page = client.get("/accounts/history/").content.decode()

    assert "ログイン失敗（パスワード誤り）" in page
    assert "限定モード（就業打刻・明細閲覧のみ）でログイン" in page
    assert "仮パスワード発行（管理者）" in page and "2要素認証の初期化（本人）" in page
    assert "198.51.100.20" in page and "Chrome 124・Android 14・スマートフォン" in page
    assert "192.0.2.99" not in page and "192.0.2.91" not in page  # another user's; older than 90 days
    assert "B9999999" not in page and "B2000001" not in page
    assert "wrong-password" not in page and "password" not in page.lower().split("<main>")[-1]


def test_history_never_shows_another_users_events(client, employee_a, other_user):
    events.record(None, events.Kind.LOGIN_SUCCESS, user=other_user, method="code")
    session_full(client, employee_a)
    entries = client.get("/accounts/history/").content.decode().split('id="history"')[1]
    assert "記録はありません" in entries


def test_history_needs_the_code_and_is_linked_from_the_portal(client, employee_b):
    from tests.helpers import session_limited

    session_limited(client, employee_b)
    assert "/accounts/history/" in client.get("/").content.decode()
    assert client.get("/accounts/history/")["Location"].startswith("/accounts/verify/")


def test_history_query_count_does_not_grow_with_events(client, employee_a, django_assert_max_num_queries):
    session_full(client, employee_a)
    for _ in range(120):
        events.record(None, events.Kind.CODE_FAILURE, user=employee_a)
    client.get("/accounts/history/")
    with django_assert_max_num_queries(12):
        page = client.get("/accounts/history/?page=2").content.decode()
    assert page.count("認証コード誤り") == 50 and "以前の記録" in page
