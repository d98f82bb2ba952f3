import json
from datetime import timedelta

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kit.form_tokens import OneTimeTokenMixin, new_form_token

from .models import TOKYO, AttendanceRequest, Punch, punch_time_label


new_punch_token = new_form_token  # one rendering of the punch form


class PunchForm(forms.Form):
    kind = forms.ChoiceField(choices=Punch.Kind.choices,
                             error_messages={"invalid_choice": _("打刻の種類が正しくありません。"),
                                             "required": _("打刻の種類を選んでください。")})
    token = forms.CharField(
        max_length=32, min_length=32,
        validators=[RegexValidator(r"^[0-9a-f]{32}$")],
        error_messages={"required": _("画面が古くなっています。もう一度打刻してください。")},
    )

    def first_error(self) -> str:
        if "token" in self.errors:
            return str(_("画面が古くなっています。もう一度打刻してください。"))
        return str(next(iter(self.errors.values()))[0])


# How far back and ahead a request may be dated.
PAST_DAYS = 92
FUTURE_DAYS = 366
MAX_LEAVE_DAYS = 31


LeaveType = AttendanceRequest.LeaveType
HALF_DAYS = (LeaveType.HALF_AM, LeaveType.HALF_PM)
_DATE = forms.DateInput(attrs={"type": "date", "autocomplete": "off"})
_TIME = forms.TimeInput(attrs={"type": "time", "autocomplete": "off"}, format="%H:%M")


class RequestForm(OneTimeTokenMixin, forms.ModelForm):
    """A request of one kind, with only the fields that kind needs (``form_for_kind``);
    its hidden one-time token makes a resent form file nothing twice."""

    kind_value = ""

    class Meta:
        model = AttendanceRequest
        fields = ["kind", "start_date", "reason"]
        widgets = {
            "kind": forms.HiddenInput,
            "start_date": _DATE, "end_date": _DATE, "start_time": _TIME, "end_time": _TIME,
            "leave_type": forms.RadioSelect, "punch_kind": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "maxlength": 1000}),
        }
        error_messages = {
            "kind": {"required": _("申請の種類を選んでください。")},
            "leave_type": {"required": _("休暇の種類を選んでください。"),
                           "invalid_choice": _("休暇の種類を選び直してください。")},
            "start_date": {"required": _("日付を入力してください。"), "invalid": _("日付を正しく入力してください。")},
            "end_date": {"invalid": _("日付を正しく入力してください。")},
            "start_time": {"invalid": _("時刻を正しく入力してください（例：18:30）。")},
            "end_time": {"invalid": _("時刻を正しく入力してください（例：18:30）。")},
            "punch_kind": {"required": _("修正する打刻を選んでください。"),
                           "invalid_choice": _("修正する打刻を選び直してください。")},
            "reason": {"required": _("理由を入力してください。")},
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")  # 「理由」 as 「修正する打刻」 and the forms of ネット de 受付, not 「理由:」
        super().__init__(*args, **kwargs)
        self.instance.user = user
        self.instance.kind = self.kind_value
        self.fields["kind"].initial = self.kind_value
        self.fields["kind"].required = False
        self.fields["start_date"].initial = timezone.localdate(timezone=TOKYO)

    @property
    def kind_label(self) -> str:
        return AttendanceRequest.Kind(self.kind_value).label

    def clean_kind(self):
        return self.kind_value  # the page's kind, whatever was posted

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        today = timezone.localdate(timezone=TOKYO)
        if day < today - timedelta(days=PAST_DAYS):
            raise forms.ValidationError(_("%(days)s日より前の日付は申請できません。"), params={"days": PAST_DAYS})
        if day > today + timedelta(days=FUTURE_DAYS):
            raise forms.ValidationError(_("1年より先の日付は申請できません。"))
        return day

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("理由を入力してください。"))
        return reason


class LeaveRequestForm(RequestForm):
    kind_value = AttendanceRequest.Kind.LEAVE

    class Meta(RequestForm.Meta):
        fields = ["kind", "leave_type", "start_date", "end_date", "reason"]
        labels = {"start_date": _("休暇の日（複数日のときは開始日）"), "end_date": _("終了日（複数日のときだけ）")}
        help_texts = {"end_date": _("半休は1日だけです。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_type"].required = True
        self.fields["leave_type"].choices = LeaveType.choices
        self.fields["leave_type"].initial = LeaveType.PAID

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("終了日は開始日以降の日付にしてください。"))
            elif data.get("leave_type") in HALF_DAYS and end != start:
                self.add_error("end_date", _("半休は1日だけです。終了日を空けてください。"))
            elif (end - start).days + 1 > MAX_LEAVE_DAYS:
                self.add_error("end_date", _("休暇は一度に%(days)s日までです。") % {"days": MAX_LEAVE_DAYS})
        if end == start:
            data["end_date"] = None
        return data


class OvertimeRequestForm(RequestForm):
    kind_value = AttendanceRequest.Kind.OVERTIME

    class Meta(RequestForm.Meta):
        fields = ["kind", "start_date", "start_time", "end_time", "reason"]
        labels = {"start_date": _("残業する日"), "start_time": _("残業の開始時刻"), "end_time": _("残業の終了時刻")}

    def clean(self):
        data = super().clean()
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if not start_time and "start_time" not in self.errors:
            self.add_error("start_time", _("残業の開始時刻と終了時刻を入力してください。"))
        elif not end_time and "end_time" not in self.errors:
            self.add_error("end_time", _("残業の開始時刻と終了時刻を入力してください。"))
        elif start_time and end_time and end_time <= start_time:
            self.add_error("end_time", _("終了時刻は開始時刻より後にしてください。"))
        return data


class CorrectionRequestForm(RequestForm):
    kind_value = AttendanceRequest.Kind.CORRECTION

    class Meta(RequestForm.Meta):
        fields = ["kind", "start_date", "punch_kind", "start_time", "reason"]
        labels = {"start_date": _("勤務日")}
        help_texts = {"start_time": _("0:00〜4:59 は勤務日の翌日の深夜として扱います。")}

    def __init__(self, *args, punch_kind="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["punch_kind"].required = True
        self.fields["punch_kind"].choices = Punch.Kind.choices
        chosen = self.data.get("punch_kind", "") if self.is_bound else punch_kind
        if not self.is_bound and chosen in Punch.Kind.values:
            self.fields["punch_kind"].initial = chosen
        # A 退勤 fix asks for the 退勤時刻, not a 開始時刻 (the page's script follows the choice).
        self.fields["start_time"].label = punch_time_label(chosen)
        self.fields["start_time"].widget.attrs["data-time-labels"] = json.dumps(
            {kind: str(punch_time_label(kind)) for kind in ["", *Punch.Kind.values]}, ensure_ascii=False)

    def clean(self):
        data = super().clean()
        start = data.get("start_date")
        if not data.get("start_time") and "start_time" not in self.errors:
            self.add_error("start_time", _("%(label)sを入力してください。") % {
                "label": punch_time_label(data.get("punch_kind", ""))})
        if start and start > timezone.localdate(timezone=TOKYO):
            self.add_error("start_date", _("打刻修正は今日までの日付で申請してください。"))
        return data


FORMS = {form.kind_value: form for form in (LeaveRequestForm, OvertimeRequestForm, CorrectionRequestForm)}


def form_for_kind(kind: str):
    """The form class of a request kind, or None for an unknown kind."""
    return FORMS.get(kind)
