"""A login is one entry: the security log and ログイン履歴 tell how the person logged
in (認証コード, 限定モード …) and that the browser was new, in one line with the
person's name and login ID; the steps stay in the database for the audit."""

from django.test import Client
from django.utils import timezone

from accounts.audit import events
from accounts.models import SecurityEvent
from tests.helpers import login_full_via_wizard, post_choice, post_login, session_full

Kind = SecurityEvent.Kind
LOG = "/admin/accounts/securityevent/"


def rows_of(page: str) -> list[str]:
    body = page.split('id="result_list"')[1].split("</table>")[0]
    return body.split("<tr")[2:]  # past the header row


def test_a_login_from_a_new_browser_is_one_line_in_the_console(client, admin_a, employee_b):
    employee_b.last_login = timezone.now()  # not the account's first login: the browser is new to it
    employee_b.save(update_fields=["last_login"])
    login_full_via_wizard(Client(), employee_b, employee_b.totpdevice_set.get())
    kinds = set(SecurityEvent.objects.filter(user=employee_b).values_list("kind", flat=True))
    assert {Kind.MODE_CHOSEN, Kind.LOGIN_SUCCESS, Kind.CODE_SUCCESS, Kind.NEW_DEVICE} <= kinds  # kept

    page = session_full(client, admin_a).get(LOG).content.decode()
    lines = [row for row in rows_of(page) if "鈴木 花子（B1000001）" in row]
    assert len(lines) == 1
    assert "認証コードでログイン（すべての機能）・新しい端末から（本人にメールでお知らせ）" in lines[0]
    listed = "".join(rows_of(page))
    for step in ("利用範囲の選択", "認証コード", "新しい端末のお知らせ", "ログイン成功"):
        assert step not in listed.replace("認証コードでログイン", "")
    # Each step can still be looked up by its kind.
    assert "鈴木 花子（B1000001）" in client.get(LOG, {"kind__exact": Kind.NEW_DEVICE}).content.decode()


def test_a_limited_login_is_one_line_in_the_own_history(client, employee_b):
    post_login(client, employee_b.login_id)
    post_choice(client, "limited")
    employee_b.refresh_from_db()
    events.record(None, Kind.NEW_DEVICE, user=employee_b)  # (as if the browser were new)
    session_full(client, employee_b)
    entries = client.get("/accounts/history/").content.decode().split('id="history"')[1]
    assert entries.count("<li") == 1
    assert "限定モード（就業打刻・明細閲覧のみ）でログイン・新しい端末から（本人にメールでお知らせ）" in entries


def test_the_console_names_the_actor_and_uses_plain_words(client, admin_a, employee_a):
    events.record(None, Kind.STEP_UP, user=employee_a, method="code")
    events.record(None, Kind.CODE_THROTTLED, user=employee_a)
    events.record(None, Kind.TEMP_PASSWORD_ISSUED, user=employee_a, actor=admin_a)
    SecurityEvent.objects.create(kind=Kind.LOGOUT, user=employee_a, tenant=employee_a.tenant,
                                 login_id=employee_a.login_id, detail="other sessions ended by user")
    SecurityEvent.objects.create(kind=Kind.MODE_CHOSEN, user=employee_a, tenant=employee_a.tenant,
                                 login_id=employee_a.login_id, detail="full")
    page = session_full(client, admin_a).get(LOG).content.decode()
    assert "すべての機能への切り替え" in page and "認証コードの入力を一時停止" in page
    assert "ステップアップ" not in page and "試行制限" not in page
    assert "管理 太郎（A1000001）" in page and "佐藤 一郎（A1000002）" in page
    assert "本人がほかの端末をすべてログアウト" in page
    assert "other sessions" not in page
    full = client.get(LOG, {"kind__exact": Kind.MODE_CHOSEN}).content.decode()
    assert "すべての機能を利用（認証コードへ）" in full and ">full<" not in full
