from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import MAX_BYTES


class _PublishedOn(forms.Form):
    published_on = forms.DateField(
        label=_("公開日"), initial=timezone.localdate, required=False,
        help_text=_("この日から従業員に表示され、この日に「明細が公開されました」のメールが届きます"
                    "（金額は書きません）。今日または過去の日付なら、登録してすぐに公開します。"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "off"}))

    def clean_published_on(self):
        return self.cleaned_data["published_on"] or timezone.localdate()  # left empty: today


class PublishedOnForm(_PublishedOn):
    """The 公開日 chosen on the upload page, carried by the preview to 「登録する」."""


class PayslipImportForm(_PublishedOn):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_("UTF-8（BOM付き可）または Shift_JIS で保存したCSV。5MBまで。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    field_order = ["file", "published_on"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（5MBまで）。"))
        if file.size == 0:
            raise forms.ValidationError(_("ファイルが空です。"))
        return file
