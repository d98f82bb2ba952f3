"""The console's シングルサインオン form: the provider's metadata (a file, pasted, or a URL
fetched once when saved), the login ID's attribute, the rules, the break-glass
administrators; saved only with the administrator's own password."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.login.security_forms import OwnPasswordForm
from accounts.models import User
from sso import saml
from sso.fetch import METADATA_LIMIT, fetch_metadata
from sso.models import SECOND_FACTOR_UNLESS_MFA, SsoSettings


class SsoSettingsForm(OwnPasswordForm):
    metadata_file = forms.FileField(label=_("IDプロバイダのメタデータ（XMLファイル）"), required=False)
    idp_metadata = forms.CharField(label=_("またはメタデータ（XML）を貼り付け"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
    idp_metadata_url = forms.URLField(label=_("またはメタデータのURL（保存時に1回だけ読み込みます）"), required=False,
                                      assume_scheme="https",
                                      widget=forms.URLInput(attrs={"autocomplete": "url"}))
    id_attribute = forms.CharField(label=_("ログインIDを含む属性"), required=False, max_length=200,
                                   help_text=_("空欄のときは NameID を使います。例: "
                                               "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
                                   widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    id_is_email = forms.BooleanField(label=_("値はメールアドレス（この会社の従業員のメールアドレスと照合）"), required=False)
    second_factor = forms.ChoiceField(label=_("シングルサインオン後の2要素認証"),
                                      choices=SsoSettings._meta.get_field("second_factor").choices,
                                      initial=SECOND_FACTOR_UNLESS_MFA)
    a_ids_require_sso = forms.BooleanField(label=_("A-IDはシングルサインオンでのみログインできる"), required=False,
                                           help_text=_("Bで始まるIDは、これまでどおりIDとパスワードでもログインできます。"))
    break_glass = forms.ModelMultipleChoiceField(
        label=_("IDプロバイダの障害時にパスワードと認証コードでログインできる会社管理者"), required=False,
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("この管理者がパスワードでログインするたびに記録され、会社のすべての管理者にメールで通知されます。"))
    enabled = forms.BooleanField(label=_("シングルサインオンを使う"), required=False,
                                 help_text=_("接続テストに成功した後で有効にできます。"))

    field_order = ["metadata_file", "idp_metadata", "idp_metadata_url", "id_attribute", "id_is_email",
                   "second_factor", "a_ids_require_sso", "break_glass", "enabled", "password"]

    def __init__(self, user, *args, current: SsoSettings, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.current = current
        self.fields["break_glass"].queryset = User.objects.filter(
            tenant_id=current.tenant_id, is_staff=True, is_active=True).order_by("login_id")
        self.fields["password"].help_text = _("設定を変更するには、ご自身のパスワードを入力してください。")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("metadata_file")
        xml = ""
        if upload:
            xml = upload.read(METADATA_LIMIT + 1).decode("utf-8", errors="replace")
        elif cleaned.get("idp_metadata_url") and cleaned["idp_metadata_url"] != self.current.idp_metadata_url:
            try:
                xml = fetch_metadata(cleaned["idp_metadata_url"])
            except forms.ValidationError as error:
                self.add_error("idp_metadata_url", error)
        else:
            xml = (cleaned.get("idp_metadata") or "").strip()
        if not xml:  # nothing new: the metadata saved before stays
            xml, cleaned["idp_entity_id"] = self.current.idp_metadata, self.current.idp_entity_id
        elif xml:
            try:
                cleaned["idp_entity_id"] = saml.idp_entity_id(xml)
            except ValueError:
                self.add_error(None, _("IDプロバイダのメタデータとして読み取れません。"
                                       "IDプロバイダからダウンロードしたSAMLメタデータ（XML）を指定してください。"))
        cleaned["metadata_xml"] = xml
        changed = xml != self.current.idp_metadata
        tested = self.current.tested_at is not None and not changed
        if cleaned.get("enabled") and not (xml and tested):
            self.add_error("enabled", _("先に「接続テスト」を成功させてから有効にしてください。"))
        if cleaned.get("a_ids_require_sso") and not cleaned.get("break_glass"):
            self.add_error("break_glass", _("IDプロバイダの障害に備えて、パスワードでログインできる会社管理者を1人以上選んでください。"))
        return cleaned
