"""問い合わせ先 in the console: ``/admin/accounts/tenant/<id>/contact/``.

The text an employee who is stuck is shown (the help, 「パスワードを忘れた場合」
on the login page, the ログイン情報のお知らせ slips). The company administrator
edits their own company's (linked from the console's front page), operators
any company's; another company's id is a 404 (the tenant-scoped ``TenantAdmin``).
The change is kept in the admin's history of the company."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.console.login_policy import may_edit
from accounts.models import Tenant


class ContactForm(forms.ModelForm):
    class Meta:
        model = Tenant
        fields = ["contact"]
        widgets = {"contact": forms.Textarea(attrs={"rows": 4, "cols": 60, "autocomplete": "off"})}


class ContactAdminMixin:
    """For TenantAdmin: the ``<id>/contact/`` page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/contact/", self.admin_site.admin_view(self.contact_view),
                 name="%s_%s_contact" % info),
            *super().get_urls(),
        ]

    def contact_view(self, request, object_id):
        tenant = self.get_object(request, unquote(object_id))  # another company's id: 404
        if not may_edit(request.user, tenant):
            raise PermissionDenied
        form = ContactForm(request.POST or None, instance=tenant)
        if request.method == "POST" and form.is_valid():
            form.save()
            self.log_change(request, tenant, _("問い合わせ先を変更"))
            self.message_user(request, _("問い合わせ先を保存しました。"), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return TemplateResponse(request, "admin/accounts/tenant/contact.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": tenant, "title": _("問い合わせ先"), "form": form,
            "changelist_url": reverse("admin:accounts_tenant_changelist") if request.user.is_operator else None,
            "change_url": reverse("admin:accounts_tenant_change", args=[tenant.pk])
            if request.user.is_operator else None,
        })
