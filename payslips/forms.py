from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_BYTES


class PayslipImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_("UTF-8（BOM付き可）または Shift_JIS で保存したCSV。5MBまで。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

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
