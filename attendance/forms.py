from datetime import timedelta

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kit.form_tokens import OneTimeTokenMixin, new_form_token

from .models import TOKYO, AttendanceRequest, Punch


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


class RequestForm(OneTimeTokenMixin, forms.ModelForm):
    """A request; its hidden one-time token makes a resent form file nothing twice."""

    class Meta:
        model = AttendanceRequest
        fields = ["kind", "start_date", "end_date", "start_time", "end_time", "punch_kind", "reason"]
        widgets = {
            "kind": forms.RadioSelect,
            "start_date": forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
            "end_date": forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
            "start_time": forms.TimeInput(attrs={"type": "time", "autocomplete": "off"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time", "autocomplete": "off"}, format="%H:%M"),
            "reason": forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "maxlength": 1000}),
        }
        error_messages = {
            "kind": {"required": _("申請の種類を選んでください。")},
            "start_date": {"required": _("日付を入力してください。")},
            "reason": {"required": _("理由を入力してください。")},
        }
        help_texts = {
            "start_time": _("残業は開始・終了時刻、打刻修正は正しい時刻を入力します。"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user
        self.fields["kind"].choices = AttendanceRequest.Kind.choices
        self.fields["kind"].initial = AttendanceRequest.Kind.LEAVE
        self.fields["start_date"].initial = timezone.localdate(timezone=TOKYO)
        self.fields["punch_kind"].choices = [("", _("（打刻修正のとき選択）")), *Punch.Kind.choices]

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

    def clean(self):
        data = super().clean()
        kind, start = data.get("kind"), data.get("start_date")
        end, start_time, end_time = data.get("end_date"), data.get("start_time"), data.get("end_time")
        Kind = AttendanceRequest.Kind
        if kind != Kind.LEAVE:
            data["end_date"] = None
        elif start and end:
            if end < start:
                self.add_error("end_date", _("終了日は開始日以降の日付にしてください。"))
            elif (end - start).days + 1 > MAX_LEAVE_DAYS:
                self.add_error("end_date", _("休暇は一度に%(days)s日までです。") % {"days": MAX_LEAVE_DAYS})
        if kind == Kind.OVERTIME:
            if not start_time or not end_time:
                self.add_error("start_time", _("残業の開始時刻と終了時刻を入力してください。"))
            elif end_time <= start_time:
                self.add_error("end_time", _("終了時刻は開始時刻より後にしてください。"))
        if kind == Kind.CORRECTION:
            if not data.get("punch_kind"):
                self.add_error("punch_kind", _("修正する打刻を選んでください。"))
            if not start_time:
                self.add_error("start_time", _("正しい打刻時刻を入力してください。"))
            elif start and start > timezone.localdate(timezone=TOKYO):
                self.add_error("start_date", _("打刻修正は今日までの日付で申請してください。"))
            data["end_time"] = None
        else:
            data["punch_kind"] = ""
        if kind == Kind.LEAVE:
            data["start_time"] = data["end_time"] = None
        return data
