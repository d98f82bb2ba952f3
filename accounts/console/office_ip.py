"""社外からのアクセス制限 in the console: ``/admin/accounts/tenant/<id>/ip-restriction/``.

The company administrator edits their own company's setting (linked from
the console's front page), operators any company's (linked from the
company's page). The company is looked up through the tenant-scoped
``TenantAdmin`` (another company's id is a 404). A list that would refuse
the address the administrator is saving from is not saved.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.sessions import office_ip
from kit.net import client_ip

CHANGE_PERMISSION = "accounts.change_tenantaccessrule"


def may_edit(user, tenant) -> bool:
    return user.is_operator or (user.tenant_id == tenant.pk and user.has_perm(CHANGE_PERMISSION))


class AccessRuleForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("社外からのアクセスを制限する"), required=False)
    allowed_networks = forms.CharField(
        label=gettext_lazy("アクセスを許可するIPアドレス"), required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 40, "spellcheck": "false", "autocapitalize": "none"}),
        help_text=gettext_lazy("1行に1つ、IPアドレス（203.0.113.5、2001:db8::1）か範囲（203.0.113.0/24、"
                               "2001:db8::/48）を入力してください。100 件まで登録できます。"),
    )
    limited_anywhere = forms.BooleanField(
        label=gettext_lazy("就業打刻・明細閲覧は社外からも許可する"), required=False,
        help_text=gettext_lazy("B で始まるIDの従業員は、社外からも「就業打刻・明細閲覧のみ利用する」でログインできます"
                               "（取引先での打刻など）。それ以外の機能と管理画面は社内からだけ使えます。"),
    )

    def __init__(self, *args, tenant, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant, self.request = tenant, request

    def clean_allowed_networks(self):
        lines = self.cleaned_data["allowed_networks"].splitlines()
        networks, errors = office_ip.parse_networks(lines)
        if errors:
            raise forms.ValidationError([
                _("%(line)d 行目: %(message)s") % {"line": line, "message": message} if line else message
                for line, message in errors
            ])
        return networks

    def clean(self):
        cleaned = super().clean()
        networks = cleaned.get("allowed_networks")
        if networks is None:
            return cleaned
        enabled = cleaned.get("enabled", False)
        for problem in office_ip.check_rule(enabled=enabled, networks=networks):
            self.add_error("allowed_networks", problem)
        if not self.errors and office_ip.locks_out(tenant=self.tenant, enabled=enabled, networks=networks,
                                                   actor=self.request.user, request=self.request):
            self.add_error("allowed_networks", _(
                "現在お使いのアドレス（%(ip)s）が含まれていません。このまま保存すると、あなたもこの画面を"
                "使えなくなります。このアドレスを含めるか、許可するアドレスから操作してください。")
                % {"ip": client_ip(self.request) or "-"})
        return cleaned


class OfficeIpAdminMixin:
    """For TenantAdmin: the ``<id>/ip-restriction/`` page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/ip-restriction/", self.admin_site.admin_view(self.ip_restriction_view),
                 name="%s_%s_ip_restriction" % info),
            *super().get_urls(),
        ]

    def ip_restriction_view(self, request, object_id):
        tenant = self.get_object(request, unquote(object_id))  # another company's id: 404
        if not may_edit(request.user, tenant):
            raise PermissionDenied
        rule = office_ip.rule_of(tenant)
        if request.method == "POST":
            form = AccessRuleForm(request.POST, tenant=tenant, request=request)
            if form.is_valid():
                office_ip.access_rule_set(
                    tenant=tenant, enabled=form.cleaned_data["enabled"],
                    networks=form.cleaned_data["allowed_networks"],
                    limited_anywhere=form.cleaned_data["limited_anywhere"], actor=request.user, request=request)
                self.message_user(request, _("社外からのアクセス制限を保存しました。"), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        else:
            form = AccessRuleForm(initial={
                "enabled": rule.enabled, "allowed_networks": rule.allowed_networks,
                "limited_anywhere": rule.limited_anywhere,
            }, tenant=tenant, request=request)
        return TemplateResponse(request, "admin/accounts/tenant/ip_restriction.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": tenant, "title": _("社外からのアクセス制限"),
            "form": form, "rule": rule, "ip_address": client_ip(request),
            "changelist_url": reverse("admin:accounts_tenant_changelist") if request.user.is_operator else None,
            "change_url": reverse("admin:accounts_tenant_change", args=[tenant.pk])
            if request.user.is_operator else None,
        })
