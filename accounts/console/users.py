"""User admin of the manager console: employees of the administrator's own
company, their 2FA status, 2FA reset (初期化, FAQ ④) and temporary passwords.

Company administrators (the 会社管理者 group) see and create users of their
own tenant only: the tenant is forced, and the form has no superuser,
group or permission fields, so they cannot grant more than the group.
Operators (superusers without a tenant) see every tenant and every field.
"""

import unicodedata

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from accounts.people import services
from accounts.console.filters import PasswordStateFilter
from accounts.identity.groups import company_admin_group
from kit.admin_scoping import TenantScopedAdmin
from accounts.console.lockouts import LockoutAdminMixin
from accounts.console.titles import PermissionLabelsMixin
from accounts.console.sessions import UserSessionsAdminMixin
from accounts.console.user_display import UserDisplayMixin
from accounts.identity.login_ids import login_id_check_new
from accounts.people.offboarding import user_offboard, user_reactivate
from accounts.policy import normalize_login_id
from accounts.login.security_forms import AdminResetForm
from accounts.console.imports import import_urls, issued_page, offboard_users
from accounts.models import User
from kit.japanese import kana_search_term


class UserForm(forms.ModelForm):
    """The user form; company administrators get it without tenant, superuser,
    group and permission fields (UserAdmin.get_fieldsets)."""

    company_admin = forms.BooleanField(
        label=gettext_lazy("会社管理者"), required=False,
        help_text=gettext_lazy("管理画面で自社のユーザー管理、2要素認証の初期化、仮パスワードの発行、"
                               "セキュリティログの閲覧ができます。"),
    )
    current_user = None  # set by UserAdmin.get_form
    request = None  # likewise

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["company_admin"].initial = self.instance.is_staff and not self.instance.is_superuser

    def clean_login_id(self):
        login_id = normalize_login_id(self.cleaned_data["login_id"])
        if self.current_user is not None and not self.current_user.is_operator:
            # Before the model's uniqueness check, whose answer would be about other companies.
            login_id_check_new(login_id=login_id, actor=self.current_user, request=self.request)
        return login_id

    def clean_employee_number(self):
        number = unicodedata.normalize("NFKC", self.cleaned_data.get("employee_number") or "").strip()
        if self.current_user is not None and not self.current_user.is_operator:
            tenant = self.current_user.tenant_id
        else:  # the operator's choice on this form (checked as a number: the field itself is cleaned later)
            chosen = str(self.data.get("tenant", ""))
            tenant = int(chosen) if chosen.isdigit() else self.instance.tenant_id
        if number and tenant and User.objects.filter(tenant=tenant, employee_number=number) \
                .exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("この社員番号は既に使われています。"))
        return number

    def clean(self):
        cleaned = super().clean()
        superuser = cleaned.get("is_superuser", self.instance.is_superuser)
        if cleaned.get("company_admin") and "tenant" in self.fields and not cleaned.get("tenant"):
            self.add_error("tenant", _("会社管理者には会社を指定してください。"))
        if self.instance.pk and self.current_user and self.instance.pk == self.current_user.pk:
            if not cleaned.get("is_active", True) or not (cleaned.get("company_admin") or superuser):
                raise forms.ValidationError(_("ご自身の管理者権限と「有効」は外せません。"))
        return cleaned


class UserAdmin(PermissionLabelsMixin, LockoutAdminMixin, UserSessionsAdminMixin, UserDisplayMixin, TenantScopedAdmin):
    show_full_result_count = False  # one COUNT(*) per page is enough for a 10,000-employee tenant
    search_fields = ["login_id", "name", "email", "employee_number", "furigana"]
    list_select_related = ["tenant"]
    actions = ["reset_2fa_action", "issue_temporary_password_action", "lift_lockout_action", "offboard_action"]
    change_form_template = "admin/accounts/user/change_form.html"

    # -- scoping and forms -------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_operator else queryset.filter(is_superuser=False)  # never an operator

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UserForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.current_user = request.user
        form.request = request
        return form

    def save_model(self, request, obj, form, change):
        if not request.user.is_operator:
            obj.tenant = request.user.tenant
            obj.is_superuser = False
        obj.is_staff = bool(form.cleaned_data["company_admin"] or obj.is_superuser)
        leaving = returning = False
        if change and "is_active" in form.changed_data:  # 退職 or back: the services below do it
            leaving, returning = not obj.is_active, obj.is_active
            obj.is_active = not obj.is_active
        if not change:
            obj.created_by = request.user  # segregation of duties (accounts.audit.duties)
        super().save_model(request, obj, form, change)
        if leaving:
            user_offboard(user=obj, actor=request.user, request=request)
        if returning:
            password = user_reactivate(user=obj, actor=request.user, request=request)
            request._netdekomon_issued = [(obj, password)]
        if not change:
            # A new user always starts on a system-generated temporary password.
            password = services.user_issue_temporary_password(
                user=obj, actor=request.user, request=request, notify=False)
            request._netdekomon_issued = [(obj, password)]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # (an operator's group choices first)
        user = form.instance
        if form.cleaned_data["company_admin"]:
            user.groups.add(company_admin_group())
        else:
            user.groups.remove(company_admin_group())

    def response_change(self, request, obj):
        issued = getattr(request, "_netdekomon_issued", None)
        if issued:
            return self._issued_page(request, issued)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        issued = getattr(request, "_netdekomon_issued", None)
        if issued:
            return self._issued_page(request, issued)
        return super().response_add(request, obj, post_url_continue)

    def get_search_results(self, request, queryset, search_term):
        """Besides the fields: フリガナ typed in hiragana or katakana, half- or full-width, with or
        without the space; 社員番号 in full-width digits."""
        results, distinct = super().get_search_results(request, queryset, search_term)
        kana = kana_search_term(search_term)
        if kana:
            number = unicodedata.normalize("NFKC", search_term).strip()
            results = results | queryset.filter(Contains(Replace(F("furigana"), Value("\u3000"), Value("")), kana)) \
                | queryset.filter(employee_number=number)
        return results, distinct

    # -- 2FA reset and temporary passwords ---------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view

        return [
            *import_urls(self),
            path("<path:object_id>/reset-2fa/", view(self.reset_2fa_view), name="%s_%s_reset_2fa" % info),
            path("<path:object_id>/temporary-password/", view(self.temporary_password_view),
                 name="%s_%s_temporary_password" % info),
            *super().get_urls(),
        ]

    @method_decorator(sensitive_post_parameters("password"))
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset):
        if not all(value.isdigit() for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            raise Http404
        return super().response_action(request, queryset)

    @admin.action(description=gettext_lazy("2要素認証を初期化"), permissions=["change"])
    def reset_2fa_action(self, request, queryset):
        return self._reset(request, self._selected(request, queryset), from_action=True)

    @admin.action(description=gettext_lazy("仮パスワードを発行"), permissions=["change"])
    def issue_temporary_password_action(self, request, queryset):
        return self._temporary_password(request, self._selected(request, queryset), from_action=True)

    @admin.action(description=gettext_lazy("退職にする（利用停止）"), permissions=["change"])
    def offboard_action(self, request, queryset):
        return offboard_users(self, request, self._selected(request, queryset))

    @method_decorator(sensitive_post_parameters("password"))
    def reset_2fa_view(self, request, object_id):
        return self._reset(request, [self._changeable(request, object_id)], from_action=False)

    def temporary_password_view(self, request, object_id):
        return self._temporary_password(request, [self._changeable(request, object_id)], from_action=False)

    def _changeable(self, request, object_id):
        user = self.get_object(request, unquote(object_id))  # another tenant's id: 404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        return user

    @staticmethod
    def _selected(request, queryset):
        """The selected users; an id outside the administrator's tenant makes it a 404."""
        users = list(queryset)
        if request.POST.get("select_across") != "1":
            if len(set(request.POST.getlist(ACTION_CHECKBOX_NAME))) != len(users):
                raise Http404
        return users

    def _reset(self, request, users, *, from_action):
        confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
        form = AdminResetForm(request.user, request.POST if confirmed else None)
        if confirmed:
            if form.is_valid():
                issued = []
                for user in users:
                    services.user_reset_2fa(user=user, actor=request.user, request=request)
                    self.log_change(request, user, _("2要素認証を初期化"))
                    if not form.cleaned_data["keep_password"]:
                        password = services.user_issue_temporary_password(
                            user=user, actor=request.user, request=request)
                        self.log_change(request, user, _("仮パスワードを発行"))
                        issued.append((user, password))
                self.message_user(request, _("%(ids)s の2要素認証を初期化しました。次回ログイン時に初期設定が必要です。")
                                  % {"ids": _("、").join(u.login_id for u in users)}, messages.SUCCESS)
                if issued:
                    return self._issued_page(request, issued)
                return self._back(request, users, from_action)
            form.record_denial(request, users=users)
        return self._page(request, "admin/accounts/user/reset_2fa.html", users, from_action,
                          title=_("2要素認証を初期化"), form=form)

    def _temporary_password(self, request, users, *, from_action):
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            issued = []
            for user in users:
                password = services.user_issue_temporary_password(user=user, actor=request.user,
                                                                  request=request)
                self.log_change(request, user, _("仮パスワードを発行"))
                issued.append((user, password))
            return self._issued_page(request, issued)
        return self._page(request, "admin/accounts/user/temporary_password.html", users, from_action,
                          title=_("仮パスワードを発行"),
                          temporary_password_days=settings.TEMPORARY_PASSWORD_DAYS)

    def _page(self, request, template, users, from_action, **context):
        return TemplateResponse(request, template, {
            **self.admin_site.each_context(request),
            "opts": self.opts, "users": users, "from_action": from_action,
            "action": request.POST.get("action", ""), "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "changelist_url": reverse("admin:accounts_user_changelist"),
            **context,
        })

    def _issued_page(self, request, issued):
        """Shown once: the passwords are not stored anywhere they could be read again."""
        return issued_page(self, request, issued)

    def _back(self, request, users, from_action):
        if from_action or len(users) != 1:
            return None  # back to the change list
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[users[0].pk]))
