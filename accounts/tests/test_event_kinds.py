"""Typed security events: facts per kind, one registry that tells each kind in words,
a new kind without a migration, and the old free-text rows read as before."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts import event_kinds
from accounts.audit import events
from accounts.checks import check_event_kinds
from accounts.event_kinds import Audit, Kind
from accounts.activity.event_text import event_detail_text
from accounts.activity.history import describe_event
from accounts.models import SecurityEvent
from tests import helpers
from tests.helpers import session_full

LOG = "/admin/accounts/securityevent/"


def test_every_kind_has_its_words_and_the_check_says_when_one_has_not(monkeypatch):
    assert set(event_kinds.KINDS) == set(Kind.values)
    assert check_event_kinds() == []
    monkeypatch.delitem(event_kinds.KINDS, Kind.DECIDED)
    assert [error.id for error in check_event_kinds()] == ["accounts.E020"]


def test_a_new_kind_is_a_registry_entry_without_a_migration(monkeypatch, admin_a, employee_a, client):
    assert SecurityEvent._meta.get_field("kind").choices is None
    monkeypatch.setitem(event_kinds.KINDS, "payslips_exported", Audit(
        fields={"rows": int}, sentence=lambda data, event: f"{data['rows']} 件を出力"))
    call_command("makemigrations", "accounts", "--check", "--dry-run", verbosity=0)  # SystemExit(1) on a change

    event = events.record(None, "payslips_exported", user=employee_a, actor=admin_a, rows=3)
    event.refresh_from_db()
    assert (event.kind, event.data) == ("payslips_exported", {"rows": 3, "actor_login_id": admin_a.login_id})
    page = session_full(client, admin_a).get(LOG).content.decode()
    assert "3 件を出力" in page


def test_facts_are_checked_against_the_kind(employee_a):
    with pytest.raises(ValueError):
        events.record(None, "no_such_kind", user=employee_a)
    with pytest.raises(TypeError):
        events.record(None, Kind.LOGIN_SUCCESS, user=employee_a, password="x")  # not a fact of the kind
    with pytest.raises(ValueError):
        events.record(None, Kind.MODE_CHOSEN, user=employee_a, mode="everything")
    with pytest.raises(ValueError):
        events.record(None, Kind.EMPLOYEES_IMPORTED, created="3")
    with pytest.raises(ValueError):  # a text that was never written is not taken as it is
        events.record(None, Kind.LOGOUT, user=employee_a, detail="free words")
    assert not SecurityEvent.objects.exists()


def test_the_old_detail_argument_is_turned_into_facts(admin_a, employee_a):
    event = events.record(None, Kind.LOGOUT, user=employee_a, actor=admin_a, detail=f"ended by {admin_a.login_id}")
    assert (event.data, event.detail) == ({"reason": "ended", "actor_login_id": admin_a.login_id}, "")
    assert events.record(None, Kind.LOCKOUT, login_id="B1", detail="per-ID ceiling").data == {"reason": "ceiling"}


def test_sessions_an_administrator_ended_read_in_japanese_in_the_log(console, admin_a, employee_a):
    from accounts.models import UserSession
    from accounts.sessions.tests.test_user_sessions import logged_in

    logged_in(employee_a), logged_in(employee_a)
    url = f"/admin/accounts/user/{employee_a.pk}/sessions/"
    console.post(url, {"session": UserSession.objects.filter(user=employee_a).first().pk})
    console.post(url, {"all": "yes"})
    page = console.get(LOG, {"kind__exact": "logout"}).content.decode()
    assert "管理 太郎（A1000001）が端末をログアウト" in page and "管理 太郎（A1000001）がすべての端末をログアウト" in page
    assert "ended by" not in page  # the stored English it showed before


def test_the_console_tells_ended_sessions_in_japanese(admin_a, employee_a):
    # Before the facts, these showed the stored English ("ended by A1000001").
    by_admin = events.record(None, Kind.LOGOUT, user=employee_a, actor=admin_a, reason=event_kinds.ENDED)
    all_by_admin = events.record(None, Kind.LOGOUT, user=employee_a, actor=admin_a, reason=event_kinds.OTHERS_ENDED)
    by_self = events.record(None, Kind.LOGOUT, user=employee_a, actor=employee_a, reason=event_kinds.ENDED)
    others = events.record(None, Kind.LOGOUT, user=employee_a, actor=employee_a, reason=event_kinds.OTHERS_ENDED)
    assert event_detail_text(by_admin) == "管理 太郎（A1000001）が端末をログアウト"
    assert event_detail_text(all_by_admin) == "管理 太郎（A1000001）がすべての端末をログアウト"
    assert event_detail_text(by_self) == "本人が端末をログアウト"
    assert event_detail_text(others) == "本人がほかの端末をすべてログアウト"
    assert describe_event(by_admin) == "ログアウト（管理者がほかの端末から）"


def test_the_kind_filter_names_kinds_in_japanese_and_keeps_its_links(console, employee_a):
    events.record(None, Kind.LOCKOUT, user=employee_a, reason=event_kinds.PER_ADDRESS)
    events.record(None, Kind.LOGIN_FAILURE, user=employee_a, reason=events.WRONG_PASSWORD)
    page = console.get(LOG).content.decode()
    assert "?kind__exact=lockout" in page and "ログイン制限" in page and "2要素認証 初期化の拒否" in page
    filtered = console.get(LOG, {"kind__exact": "lockout"}).content.decode()
    assert "同じIDと同じIPアドレスからの失敗が続いたため" in filtered and "IDまたはパスワードの誤り" not in filtered


OLD_ROWS = [  # kind, the free text written before the facts, the console's sentence
    ("mode_chosen", "limited", "限定モード（就業打刻・明細閲覧のみ）で利用開始"),
    ("login_success", "code", "認証コードでログイン（すべての機能）"),
    ("login_failure", "", "IDまたはパスワードの誤り"),
    ("login_failure", "wrong current password", "パスワード変更で現在のパスワードの誤り"),
    ("lockout", "per-ID ceiling", "多くのアドレスから失敗が続いたため、初めての端末からのログインを一時的に制限"),
    ("reset_denied", "wrong password", "操作した管理者のパスワードの誤り"),
    ("reset", "by A1000009", "A1000009が実行"),
    ("logout", "session lifetime", "一定時間の経過で自動的にログアウト"),
    ("logout", "sessions ended by A1000009", "A1000009がすべての端末をログアウト"),
    ("login_id_refused", "taken", "使用できないIDのため登録を拒否"),
    ("office_ip_refused", "session", "ログイン中の端末を、許可されていないアドレスからの利用のため拒否"),
    ("office_ip_changed", "on networks=2 limited_anywhere",
     "社外からのアクセス制限を有効（許可するアドレス 2 件）・就業打刻・明細閲覧は社外からも可"),
    ("office_ip_changed", "off", "社外からのアクセス制限を解除"),
    ("decided", "approved created by requester", "「承認」に処理（処理した管理者のアカウントは申請者が登録したもの）"),
    ("employees_imported", "created=3 updated=1 offboarded=2 reactivated=0",
     "新規 3 名・更新 1 名・退職 2 名・在籍に戻す 0 名"),
    ("logout", "something never written", ""),  # never shown raw (English) in the Japanese console
]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_details_into_facts_and_the_words_stay():
    tenant = helpers.make_tenant("acme", "アクメ株式会社")
    user = helpers.make_user("B1000001", tenant)
    before, after = [("accounts", "0011_known_browser")], [("accounts", "0012_typed_security_events")]
    migrate(before)
    try:
        with connection.cursor() as cursor:
            for kind, detail, _words in OLD_ROWS:
                cursor.execute(
                    "INSERT INTO accounts_securityevent (created_at, kind, tenant_id, user_id, login_id, user_agent,"
                    " detail) VALUES (%s, %s, %s, %s, 'B1000001', '', %s)",
                    [connection.ops.adapt_datetimefield_value(timezone.now()), kind, tenant.pk, user.pk, detail])
    finally:
        migrate(after)
        call_command("migrate", verbosity=0)  # the rest of the graph, for the next tests

    rows = list(SecurityEvent.objects.order_by("pk"))
    assert [event_detail_text(event) for event in rows] == [words for _kind, _detail, words in OLD_ROWS]
    assert rows[0].data == {"mode": "limited"} and rows[-1].data == {}
    assert rows[11].data == {"enabled": True, "networks": 2, "limited_anywhere": True}
    # ログイン履歴 finds old rows by their facts (the other session ended by an administrator).
    from accounts.activity.history import events_of

    assert [e.kind for e in events_of(user)].count("logout") == 1
