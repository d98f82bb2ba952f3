"""ログインの設定 in the console: ``/admin/accounts/tenant/<id>/login-policy/``.

Whether a passkey alone may log the company's users in (「パスキーでログイン」),
and who has which second factors. The company administrator edits their own
company's (linked from the console's front page), operators any company's. The
company is looked up through the tenant-scoped ``TenantAdmin`` (another
company's id is a 404). Each change is an audit event.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.identity import login_policy
from accounts.mfa import passkeys
from accounts.models import Passkey, User

CHANGE_PERMISSION = "accounts.change_tenantloginpolicy"


def may_edit(user, tenant) -> bool:
    return user.is_operator or (user.tenant_id == tenant.pk and user.has_perm(CHANGE_PERMISSION))


class LoginPolicyForm(forms.Form):
    """The company's ログインの設定. Refuses to require a passkey of administrators while the
    administrator saving it has none: they would lock themselves out of this very page."""

    admins_need_passkey = forms.BooleanField(
        label=gettext_lazy("会社管理者は管理画面でパスキーでの確認を必須にする"), required=False,
        help_text=gettext_lazy("有効にすると、会社管理者は認証コードでログインしても、管理画面を開くときにパスキーでの確認を"
                               "求められます（パスキー未登録の管理者は登録へ案内されます）。偽のログインページで管理者の"
                               "アカウントが乗っ取られるのを防ぎます。"),
    )
    recovery_codes = forms.BooleanField(
        label=gettext_lazy("回復コードを使えるようにする"), required=False,
        help_text=gettext_lazy("従業員が「2要素認証の設定」で、スマートフォンを紛失したときのための1回だけ使えるコードを"
                               "発行できます。管理者が一人だけの会社でも、管理者がご自身でログインし直せます。"),
    )
    passwordless = forms.BooleanField(
        label=gettext_lazy("パスキーだけでのログインを許可する"), required=False,
        help_text=gettext_lazy("許可すると、パスキーを登録した従業員はログイン画面の「パスキーでログイン」から、"
                               "ID・パスワード・認証コードを入力せずに、端末の指紋・顔認証・画面ロックだけでログインできます"
                               "（すべての機能を利用）。社外からのアクセス制限とログインの制限はこれまでどおり適用されます。"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_admins_need_passkey(self):
        wanted = self.cleaned_data["admins_need_passkey"]
        if wanted and not self.actor.is_operator and not passkeys.has_passkey(self.actor):
            raise forms.ValidationError(_("先に、ご自身のパスキーを「2要素認証の設定」で登録してください。"
                                          "登録しないまま有効にすると、あなたも管理画面を使えなくなります。"))
        return wanted


def factor_counts(tenant) -> dict:
    """How many active users of ``tenant`` have the app's code, and how many a passkey too."""
    users = User.objects.filter(tenant=tenant, is_active=True)
    users = users.annotate(
        has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        has_passkey=Exists(Passkey.objects.filter(user=OuterRef("pk"), confirmed=True)))
    rows = list(users.values_list("has_app", "has_passkey"))
    return {"users": len(rows), "app": sum(app for app, _ in rows), "passkey": sum(key for _, key in rows)}


class LoginPolicyAdminMixin:
    """For TenantAdmin: the ``<id>/login-policy/`` page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/login-policy/", self.admin_site.admin_view(self.login_policy_view),
                 name="%s_%s_login_policy" % info),
            *super().get_urls(),
        ]

    def login_policy_view(self, request, object_id):
        tenant = self.get_object(request, unquote(object_id))  # another company's id: 404
        if not may_edit(request.user, tenant):
            raise PermissionDenied
        policy = login_policy.policy_of(tenant)
        if request.method == "POST":
            form = LoginPolicyForm(request.POST, actor=request.user)
            if form.is_valid():
                login_policy.login_policy_set(tenant=tenant, passwordless=form.cleaned_data["passwordless"],
                                              recovery_codes=form.cleaned_data["recovery_codes"],
                                              admins_need_passkey=form.cleaned_data["admins_need_passkey"],
                                              actor=request.user, request=request)
                self.message_user(request, _("ログインの設定を保存しました。"), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        else:
            form = LoginPolicyForm(actor=request.user, initial={
                "passwordless": policy.passwordless, "recovery_codes": policy.recovery_codes,
                "admins_need_passkey": policy.admins_need_passkey})
        return TemplateResponse(request, "admin/accounts/tenant/login_policy.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": tenant, "title": _("ログインの設定"), "form": form, "policy": policy,
            "counts": factor_counts(tenant),
            "users_url": reverse("admin:accounts_user_changelist"),
            "changelist_url": reverse("admin:accounts_tenant_changelist") if request.user.is_operator else None,
            "change_url": reverse("admin:accounts_tenant_change", args=[tenant.pk])
            if request.user.is_operator else None,
        })
