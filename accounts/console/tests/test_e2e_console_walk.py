"""The company administrator's day in a real browser, at 375×667 and at 1280×800 (issue 26):
an employee locked out after wrong passwords is told for how long — an unknown ID reads the
same (⑦) — and HR sees until when and lifts it, an audit event; the front page sets the
company's 問い合わせ先 (⑬) and counts what waits; 届出 and 届出申請 are decided on their
detail pages, buttons on the phone's screen (④, ⑫ old → new); the log's 詳細 and a 届出
read as Japanese, the slips URL opened directly explains itself (⑤); payslips imported
with a later 公開日 reach the employee on that day (⑨). One login per viewport."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.audit import events
from accounts.event_kinds import OTHERS_ENDED
from accounts.models import SecurityEvent
from attendance.models import TOKYO, AttendanceRequest
from payslips.models import Payslip
from reception.tests.factories import make_address_change
from tests.e2e.conftest import DESKTOP, PHONE, browser_factory, chromium, chromium_path, playwright_driver, shot  # noqa: F401
from tests.e2e.flows import log_in, signed_in
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e
Kind = SecurityEvent.Kind
CONTACT = "総務部 山田（内線123）\nsoumu@example.co.jp"
PAYSLIPS = ("社員番号,ログインID,氏名,支給年月,支給日,出勤日数,残業時間,支給:基本給,控除:所得税\r\n"
            "0001,B1000001,鈴木 花子,2026-12,2026-12-25,20,12.5,250000,5130\r\n")


def fits(page, viewport) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def on_screen(page, locator, viewport) -> bool:
    """Reachable: scrolled to, it lies wholly inside the screen's width and height."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return (box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"])


def decision_below_the_form(page) -> bool:
    """「処理」 starts below the record, its heading one bar (not a band painted behind the form)."""
    return page.evaluate("""() => { const form = document.querySelector('#content-main > form');
        const title = document.getElementById('decision-title').getBoundingClientRect();
        return title.top >= form.getBoundingClientRect().bottom && title.height < 60; }""")


def login_error(page, login_id, password) -> str:
    """Typed into the login form on the screen (the page it answers with has it again)."""
    page.get_by_label("ログインID").fill(login_id)
    page.get_by_label("パスワード").fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="ログイン", exact=True).click()
    return page.locator("main .errorlist").inner_text()


def same_words(one: str, other: str) -> bool:
    """The same text, whatever the clock said (the end and the minutes left)."""
    return re.sub(r"\d+", "#", one) == re.sub(r"\d+", "#", other)


def lock_out(page, login_id) -> str:
    """AXES_FAILURE_LIMIT wrong passwords, then the right one: what the login page says
    (the same after the last wrong one and after the right one)."""
    page.goto(page.base + "/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "ログインIDまたはパスワードが正しくありません" in login_error(page, login_id, "Wrong-password-1")
    last_wrong = login_error(page, login_id, "Wrong-password-1")
    right = login_error(page, login_id, PASSWORD)
    assert same_words(right, last_wrong), "the right password is refused like the wrong one: no oracle"
    return right


def no_raw_words(text: str):
    for raw in ("full", "limited", "other sessions", "object (", "ended_by", "None", "True", "を選択", "Select"):
        assert raw not in text, f"{raw!r} in {text!r}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_administrator_walk(browser_factory, admin_a, employee_a, employee_b, viewport):
    width = viewport["width"]
    phone = {"is_mobile": True, "has_touch": True} if viewport is PHONE else {}
    day = timezone.localdate(timezone=TOKYO) + timedelta(days=7)
    leave = AttendanceRequest.objects.create(user=employee_b, kind="leave", leave_type="special", start_date=day,
                                             reason="慶弔のため")
    submission = make_address_change(employee_b)
    submission.address_change.previous_address = "大阪府大阪市北区梅田1-1"
    submission.address_change.save()
    ended = events.record(None, Kind.LOGOUT, user=employee_b, actor=employee_b, reason=OTHERS_ENDED)

    # ⑦ Five wrong passwords: the right one is refused with the lock and its end; an unknown ID alike.
    employee = browser_factory(viewport, **phone)
    locked = lock_out(employee, "A1000002")
    assert "このログインIDでのログインを一時的に制限しています" in locked and "以降（あと約" in locked, locked
    assert "ログインIDまたはパスワードが正しくありません" not in locked
    assert fits(employee, viewport)
    shot(employee, f"26w-locked-{width}", full_page=False)
    unknown = lock_out(employee, "A1999999")
    assert same_words(unknown, locked), "an unknown ID reads like a real one"

    # ⑬ ④ The front page: what waits, and the company's 問い合わせ先.
    page = browser_factory(viewport, **phone)
    signed_in(page, admin_a, go="/admin/")
    assert page.get_by_role("link", name="1 件届出申請 申請中").is_visible()
    assert fits(page, viewport)
    shot(page, f"26w-console-front-{width}")
    with page.expect_navigation():
        page.locator("#contact-link").click()
    page.get_by_label("問い合わせ先").fill(CONTACT)
    box = page.get_by_label("問い合わせ先").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"the text box runs off the screen: {box}"
    shot(page, f"26w-contact-{width}", full_page=False)
    with page.expect_navigation():
        page.locator("#content-main").get_by_role("button", name="保存").click()
    assert page.get_by_text("問い合わせ先を保存しました。").is_visible()
    page.goto(page.base + "/admin/")
    assert page.get_by_text("総務部 山田（内線123）").is_visible()

    # ⑦ HR sees until when the employee is restricted and lifts it.
    page.goto(page.base + f"/admin/accounts/user/{employee_a.pk}/change/")
    restriction = page.get_by_text(re.compile(r"からのログインを \d{4}/\d\d/\d\d \d\d:\d\d まで制限中"))
    assert restriction.is_visible()
    shot(page, f"26w-user-locked-{width}", full_page=False)
    with page.expect_navigation():
        page.get_by_role("link", name="ログイン制限を解除").click()
    assert page.locator(".lockout-state").is_visible()
    assert fits(page, viewport)
    shot(page, f"26w-lift-confirm-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン制限を解除する").click()
    assert page.get_by_text("A1000002 のログイン制限を解除しました。すぐにログインできます。").is_visible()
    assert SecurityEvent.objects.filter(kind=Kind.LOCKOUT_LIFTED, user=employee_a, actor=admin_a).count() == 1
    log_in(employee, "A1000002")
    assert employee.get_by_label("認証コード（6桁）").is_visible(), "the right password is taken again"

    # ⑤ The log's 詳細 in words: no raw codes, no English.
    lifted = SecurityEvent.objects.get(kind=Kind.LOCKOUT_LIFTED)
    login = SecurityEvent.objects.filter(kind=Kind.LOGIN_SUCCESS, user=admin_a).latest("created_at")
    lock = SecurityEvent.objects.filter(kind=Kind.LOCKOUT, user=employee_a).first()
    for event, words in ((ended, "本人がほかの端末をすべてログアウト"), (login, "すべての機能"),
                         (lifted, "管理 太郎"), (lock, "")):
        page.goto(page.base + f"/admin/accounts/securityevent/{event.pk}/change/")
        detail = page.locator("#content").inner_text()
        assert words in detail, (event.kind, detail)
        assert f"{timezone.localtime(event.created_at):%Y-%m-%d %H:%M}" in detail, "the title's time is local"
        no_raw_words(page.locator(".field-detail_text .readonly").inner_text() + page.locator("h1").inner_text())
        assert fits(page, viewport)
    shot(page, f"26w-event-detail-{width}")

    # ④ ⑤ ⑫ A 届出 reads as its summary, with the old address; 受理 on its page.
    page.goto(page.base + "/admin/reception/submission/")
    no_raw_words(page.locator("#content").inner_text())
    with page.expect_navigation():
        page.locator(f'a[href*="/{submission.pk}/change/"]').first.click()
    content = page.locator("#content").inner_text()
    assert "AddressChange" not in content and "object (" not in content
    assert page.locator(".address-before").inner_text() == "大阪府大阪市北区梅田1-1"
    assert page.locator(".address-after").inner_text() == "〒100-0001 東京都千代田区千代田1-1"
    page.get_by_label("コメント（任意・申請者に表示されます）").fill("住所変更を受け付けました。")
    accept = page.get_by_role("button", name="受理する")
    assert on_screen(page, accept, viewport) and on_screen(page, page.get_by_role("button", name="差戻す"), viewport)
    assert fits(page, viewport), "the page body does not scroll sideways"
    assert decision_below_the_form(page)
    shot(page, f"26w-submission-detail-{width}")
    with page.expect_navigation():
        accept.click()
    assert page.get_by_text("届出を受理しました。").is_visible()
    submission.refresh_from_db()
    assert submission.status == "accepted"

    # ④ A 届出申請 (特別休暇) approved on its page.
    page.goto(page.base + f"/admin/attendance/attendancerequest/{leave.pk}/change/")
    assert page.locator("#content-main").get_by_text("特別休暇").first.is_visible()
    approve = page.get_by_role("button", name="承認する")
    assert on_screen(page, approve, viewport) and on_screen(page, page.get_by_role("button", name="却下する"), viewport)
    assert fits(page, viewport) and decision_below_the_form(page)
    shot(page, f"26w-request-detail-{width}")
    with page.expect_navigation():
        approve.click()
    assert page.get_by_text("申請を承認しました。").is_visible()
    assert page.get_by_text("ほかに対応待ちはありません。").is_visible()

    # ⑤ The slips URL opened directly: a Japanese page with the way back.
    response = page.goto(page.base + "/admin/accounts/user/credentials/")
    assert response.status == 405
    assert page.get_by_text("このページを直接開いても表示できません").is_visible()
    assert fits(page, viewport)
    shot(page, f"26w-slips-direct-{width}")
    with page.expect_navigation():
        page.get_by_role("link", name="ユーザー一覧へ").click()
    assert page.url.endswith("/admin/accounts/user/")
    no_raw_words(page.locator("#content").inner_text())  # stock wording such as 「変更する ユーザー を選択」

    # ② An import's errors name the line, the person and the bad value.
    with page.expect_navigation():
        page.get_by_role("link", name="従業員の一括登録").click()
    page.locator("input[type=file]").set_input_files(files=[{"name": "社員.csv", "mimeType": "text/csv", "buffer": (
        "ログインID,氏名,メールアドレス\r\nB1000302,携帯 太郎,katai@@example\r\n").encode("cp932")}])
    with page.expect_navigation():
        page.get_by_role("button", name="内容を確認する").click()
    problem = page.locator("tr", has_text="メールアドレスの形式が正しくありません。")
    assert "2 行目" in problem.inner_text() and "携帯 太郎" in problem.inner_text()
    value = problem.locator(".import-value")
    assert value.inner_text().endswith("「katai@@example」")
    lines = value.evaluate("(el) => { const r = document.createRange(); r.selectNodeContents(el);"
                           " return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; }")
    assert lines == 1, "the value reads on one line, not a character a line"
    message = problem.get_by_text("メールアドレスの形式が正しくありません。")
    assert message.bounding_box()["x"] + message.bounding_box()["width"] <= width, "the message is on the screen"
    assert fits(page, viewport)
    shot(page, f"26w-import-error-{width}")

    # ⑨ Payslips with a later 公開日: not the employee's before that day, theirs from it.
    later = timezone.localdate() + timedelta(days=10)
    page.goto(page.base + "/payslips/import/")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "給与.csv", "mimeType": "text/csv", "buffer": PAYSLIPS.encode("cp932")}])
    page.get_by_label("公開日").fill(later.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="取り込む").click()
    assert f"{later.year}年{later.month}月{later.day}日（この日に従業員に公開し" in page.locator("#published-on").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="登録する").click()
    assert page.get_by_text(f"{later.year}年{later.month}月{later.day}日 に従業員に公開し").is_visible()
    payslip = Payslip.objects.get(user=employee_b)

    slips = browser_factory(viewport, **phone)
    signed_in(slips, employee_b, mode="limited", go="/payslips/")
    assert slips.get_by_text("まだ明細はありません。").is_visible()
    assert slips.goto(slips.base + f"/payslips/{payslip.pk}/").status == 404
    Payslip.objects.filter(pk=payslip.pk).update(published_on=timezone.localdate())  # the day has come
    slips.goto(slips.base + "/payslips/")
    with slips.expect_navigation():
        slips.get_by_role("link", name="2026年12月分").click()
    assert slips.locator("#attendance").get_by_text("20日").is_visible()
    assert fits(slips, viewport)
    shot(slips, f"26w-payslip-published-{width}")
