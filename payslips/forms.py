from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_BYTES


class PayslipImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_("UTF-8（BOM付き可）または Shift_JIS で保存したCSV。5MBまで。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（5MBまで）。"))
        if file.size == 0:
            raise forms.ValidationError(_("ファイルが空です。"))
        return file
