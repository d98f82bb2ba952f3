from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kit.form_tokens import OneTimeTokenMixin

from . import validators
from .models import AddressChange, BankAccountChange, DependantChange, Submission


class _JapaneseForm(OneTimeTokenMixin, forms.ModelForm):
    """Labels without a colon; a hidden one-time token makes a resent form send nothing twice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # 「郵便番号」, not 「郵便番号:」
        super().__init__(*args, **kwargs)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AddressChangeForm(_JapaneseForm):
    # Longer than the stored "123-4567": 「〒１２３ー４５６７」 is normalised in clean_postal_code.
    postal_code = forms.CharField(
        label=_("郵便番号"), max_length=12,
        help_text=_("7桁を入力すると、都道府県・市区町村・町名が入ります（全角の数字でも入力できます）。"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric",
                                      "placeholder": "123-4567"}))
    prefecture = forms.CharField(label=_("都道府県"), max_length=10, widget=forms.TextInput(
        attrs={"autocomplete": "address-level1"}))
    city = forms.CharField(label=_("市区町村"), max_length=60, widget=forms.TextInput(
        attrs={"autocomplete": "address-level2"}))
    address_kana = forms.CharField(
        label=_("住所（フリガナ）"), max_length=300,
        help_text=_("郵便番号から町名まで入ります。続けて番地・建物名をカタカナで（ひらがなも可）"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "トウキョウトチヨダクチヨダ 1-1"}))
    previous_address = forms.CharField(
        label=_("変更前の住所"), max_length=320,
        help_text=_("会社に届けている今の住所（前回の住所変更の内容が入っています）"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))

    class Meta:
        model = AddressChange
        fields = ["postal_code", "prefecture", "city", "address", "building", "address_kana",
                  "previous_address", "moved_on"]
        widgets = {
            "address": forms.TextInput(attrs={"autocomplete": "address-line1", "placeholder": "千代田1-1"}),
            "building": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "moved_on": _DateInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {"address": _("町名・丁目・番地（全角の数字でも入力できます）"),
                      "building": _("ある場合のみ")}

    def clean_postal_code(self):
        return validators.normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_prefecture(self):
        return validators.normalize_address(self.cleaned_data["prefecture"])

    def clean_city(self):
        return validators.normalize_address(self.cleaned_data["city"])

    def clean_address(self):
        return validators.normalize_address(self.cleaned_data["address"])

    def clean_building(self):
        return validators.normalize_address(self.cleaned_data["building"])

    def clean_address_kana(self):
        return validators.normalize_address_kana(self.cleaned_data["address_kana"])

    def clean_previous_address(self):
        return validators.normalize_address(self.cleaned_data["previous_address"])


class DependantChangeForm(_JapaneseForm):
    class Meta:
        model = DependantChange
        fields = ["action", "name", "relationship", "birth_date", "effective_on"]
        widgets = {
            "action": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "birth_date": _DateInput(attrs={"autocomplete": "off"}),
            "effective_on": _DateInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {"effective_on": _("扶養に入る日、または外れる日")}

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("生年月日が未来の日付になっています。"))
        return birth_date


class BankAccountChangeForm(_JapaneseForm):
    class Meta:
        model = BankAccountChange
        fields = ["bank_code", "bank_name", "branch_code", "branch_name", "account_type",
                  "account_number", "holder_kana"]
        widgets = {
            "bank_code": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                                                "placeholder": "0001"}),
            "bank_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "branch_code": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                                                  "placeholder": "001"}),
            "branch_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "account_type": forms.RadioSelect,
            # data-no-draft: never kept in the browser's storage (static/js/drafts.js)
            "account_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                                                     "placeholder": "1234567", "data-no-draft": ""}),
            "holder_kana": forms.TextInput(attrs={"autocomplete": "off", "placeholder": "スズキ ハナコ"}),
        }
        help_texts = {
            "bank_code": _("通帳やキャッシュカードに記載の4桁の番号"),
            "account_number": _("7桁未満の場合は先頭に0を付けて7桁にしてください。"),
            "holder_kana": _("通帳に記載のとおりカタカナで（ひらがな・半角カナも可）"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's "N digits" validators give the clearer message for a
        # code that is too long; the browser still stops typing at max_length.
        for name in ("bank_code", "branch_code", "account_number"):
            field = self.fields[name]
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]

    def clean_bank_code(self):
        return validators.normalize_digits(self.cleaned_data["bank_code"])

    def clean_branch_code(self):
        return validators.normalize_digits(self.cleaned_data["branch_code"])

    def clean_account_number(self):
        return validators.normalize_digits(self.cleaned_data["account_number"])

    def clean_holder_kana(self):
        return validators.normalize_katakana(self.cleaned_data["holder_kana"])


FORMS = {
    Submission.Kind.ADDRESS: AddressChangeForm,
    Submission.Kind.DEPENDANT: DependantChangeForm,
    Submission.Kind.BANK: BankAccountChangeForm,
}
