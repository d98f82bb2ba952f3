"""届出申請 forms per kind (issue 26 §10): 休暇 with 有給 / 半休 / 特別休暇, 残業 with its times,
打刻修正 with the punch's own label (a 退勤 fix asks for the 退勤時刻); only the fields the kind
needs, Japanese messages, 入力 → 確認 → 完了 kept."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from attendance.models import TOKYO, AttendanceRequest
from kit.form_tokens import new_form_token
from tests.helpers import session_full

NEW = "/attendance/requests/new/"


def today():
    return timezone.localdate(timezone=TOKYO)


@pytest.fixture
def full_b(client, employee_b):
    return session_full(client, employee_b)


def names(html):
    return {part.split('"')[0] for part in html.split('name="')[1:]}


@pytest.mark.parametrize("kind, present, absent", [
    ("leave", {"leave_type", "start_date", "end_date", "reason"}, {"start_time", "end_time", "punch_kind"}),
    ("overtime", {"start_date", "start_time", "end_time", "reason"}, {"leave_type", "end_date", "punch_kind"}),
    ("correction", {"start_date", "punch_kind", "start_time", "reason"}, {"leave_type", "end_date", "end_time"}),
])
def test_each_kind_shows_only_its_fields(full_b, kind, present, absent):
    html = full_b.get(f"{NEW}?kind={kind}").content.decode()
    assert present <= names(html) and not absent & names(html)
    assert f'id="kind-{kind}" class="btn "' in html and 'aria-current="page"' in html


def test_the_page_without_a_kind_is_the_leave_form_with_its_four_types(full_b):
    html = full_b.get(NEW).content.decode()
    for label in ("有給", "半休（午前）", "半休（午後）", "特別休暇"):
        assert f"{label}</label>" in html
    assert 'value="paid"' in html and "checked" in html.split('value="paid"')[1].split(">")[0]


def test_an_unknown_kind_is_404(full_b):
    assert full_b.get(f"{NEW}?kind=vacation").status_code == 404


def test_a_half_day_is_confirmed_then_stored(full_b, employee_b):
    day = today() + timedelta(days=5)
    data = {"token": new_form_token(), "kind": "leave", "leave_type": "half_pm", "start_date": day.isoformat(),
            "reason": "通院のため"}
    confirm = full_b.post(NEW, {**data, "step": "confirm"}).content.decode()
    assert "<dt>種類</dt><dd>休暇</dd>" in confirm and "<dd>半休（午後）</dd>" in confirm
    assert not AttendanceRequest.objects.exists()
    full_b.post(NEW, data)
    item = AttendanceRequest.objects.get(user=employee_b)
    assert (item.kind, item.leave_type, item.end_date) == ("leave", "half_pm", None)
    assert "半休（午後）" in full_b.get(f"/attendance/requests/{item.pk}/").content.decode()


def test_a_half_day_over_several_days_is_refused(full_b):
    day = today() + timedelta(days=5)
    html = full_b.post(NEW, {"token": new_form_token(), "kind": "leave", "leave_type": "half_am",
                             "start_date": day.isoformat(), "end_date": (day + timedelta(days=1)).isoformat(),
                             "reason": "私用"}).content.decode()
    assert "半休は1日だけです。終了日を空けてください。" in html
    assert not AttendanceRequest.objects.exists()


def test_a_leave_without_its_type_is_refused_in_japanese(full_b):
    html = full_b.post(NEW, {"token": new_form_token(), "kind": "leave", "start_date": today().isoformat(),
                             "reason": "私用"}).content.decode()
    assert "休暇の種類を選んでください。" in html


def test_an_out_fix_asks_for_the_out_time(full_b, employee_b):
    html = full_b.get(f"{NEW}?kind=correction&punch=out").content.decode()
    label = html.split('<label for="id_start_time"')[1].split("</label>")[0]
    assert label.endswith(">退勤時刻") and "開始時刻" not in label
    data = {"token": new_form_token(), "kind": "correction", "punch_kind": "out",
            "start_date": today().isoformat(), "start_time": "18:30", "reason": "打刻忘れ"}
    confirm = full_b.post(NEW, {**data, "step": "confirm"}).content.decode()
    assert "<dt>退勤時刻</dt><dd>18:30</dd>" in confirm
    missing = full_b.post(NEW, {**data, "start_time": ""}).content.decode()
    assert "退勤時刻を入力してください。" in missing
    full_b.post(NEW, data)
    item = AttendanceRequest.objects.get(user=employee_b)
    assert (item.punch_kind, item.start_time) == ("out", time(18, 30))
    assert item.content_label.endswith("の退勤時刻を 18:30 に修正")


def test_overtime_needs_both_times(full_b):
    html = full_b.post(NEW, {"token": new_form_token(), "kind": "overtime", "start_date": today().isoformat(),
                             "start_time": "18:00", "reason": "締め"}).content.decode()
    assert "残業の開始時刻と終了時刻を入力してください。" in html
    assert "残業の終了時刻" in html


def test_the_console_shows_the_kind_specific_fields_in_words(console, employee_b):
    item = AttendanceRequest.objects.create(user=employee_b, kind="leave", leave_type="special", reason="慶弔",
                                            start_date=today(), end_date=today() + timedelta(days=2))
    detail = console.get(f"/admin/attendance/attendancerequest/{item.pk}/change/").content.decode()
    assert f"特別休暇 {today():%Y/%m/%d}〜{today() + timedelta(days=2):%Y/%m/%d}" in detail
    listing = console.get("/admin/attendance/attendancerequest/").content.decode()
    assert "特別休暇" in listing
