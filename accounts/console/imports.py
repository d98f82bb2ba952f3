"""Console pages for a company at scale: 従業員の一括登録 (upload → preview →
confirm → credentials), the credentials download and printable slips,
the employee export, and offboarding from the list.

The preview keeps the uploaded file in the database (``import_previews``:
its owner only, once, until it expires), never in the session; it is read
again when confirmed. No password is kept: those are generated only when
the import is confirmed. Temporary passwords
exist only in the response that shows them; the CSV and the slips are made
from what that page posts back, after checking each password against its
stored hash, so nothing readable is kept on the server.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from accounts.people.credentials import HEADER as CREDENTIALS_HEADER
from accounts.people.credentials import credentials_rows, expiry_text
from accounts.people.employee_apply import ImportRefused, employees_import, import_columns_save
from accounts.people.employee_export import CONTENT_TYPES, employees_export
from kit.spreadsheets import MAX_BYTES, FileProblem, limits_text, write_csv
from accounts.hashers import TemporaryPasswordHasher
from accounts.people.import_flow import import_confirm, import_upload
from accounts.people.employee_columns import COLUMNS, COLUMNS_HELP, LABELS
from accounts.people.import_previews import (
    PreviewRefused, import_preview_create, import_preview_discard, import_preview_open)
from accounts.people.import_report import plan_report
from accounts.models import ImportPreview, Tenant
from accounts.people.offboarding import user_offboard

EMPLOYEES = ImportPreview.Kind.EMPLOYEES


class ImportForm(forms.Form):
    tenant = forms.ModelChoiceField(Tenant.objects.all(), label=gettext_lazy("取り込み先の会社"))
    file = forms.FileField(label=gettext_lazy("ファイル（CSV または Excel の .xlsx）"),
                           error_messages={"required": gettext_lazy("ファイルを選んでください。")})

    def __init__(self, *args, operator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not operator:
            del self.fields["tenant"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（%(mb)s MB まで）。ファイルを分けてください。")
                                        % {"mb": MAX_BYTES // (1024 * 1024)})
        return upload


class ExportForm(forms.Form):
    tenant = forms.ModelChoiceField(Tenant.objects.all(), label=gettext_lazy("会社"))


def import_urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    pages = ConsolePages(model_admin)
    info = model_admin.opts.app_label, model_admin.opts.model_name
    return [
        path("import/", view(pages.upload), name="%s_%s_import" % info),
        path("import/confirm/", view(pages.confirm), name="%s_%s_import_confirm" % info),
        path("import/columns/", view(pages.columns), name="%s_%s_import_columns" % info),
        path("credentials/", view(pages.credentials), name="%s_%s_credentials" % info),
        path("export/", view(pages.export), name="%s_%s_export" % info),
    ]


class ConsolePages:
    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _context(self, request, title, **context):
        return {**self.model_admin.admin_site.each_context(request), "opts": self.model_admin.opts,
                "title": title, "changelist_url": reverse("admin:accounts_user_changelist"), **context}

    def _allowed(self, request):
        admin = self.model_admin
        if not (admin.has_add_permission(request) and admin.has_change_permission(request)):
            raise PermissionDenied

    # -- 従業員の一括登録 -------------------------------------------------------

    def upload(self, request):
        self._allowed(request)
        operator = request.user.is_operator
        if request.method != "POST":
            import_preview_discard(kind=EMPLOYEES, owner=request.user)  # an abandoned preview goes
        form = ImportForm(request.POST or None, request.FILES or None, operator=operator)
        if request.method == "POST" and form.is_valid():
            tenant = form.cleaned_data["tenant"] if operator else request.user.tenant
            upload = form.cleaned_data["file"]

            try:  # a file with errors is kept too: its columns can still be chosen (列の対応)
                plan, preview = import_upload(kind=EMPLOYEES, owner=request.user, tenant=tenant,
                                              upload=upload, max_bytes=MAX_BYTES, read=self._reader(request, tenant))
            except FileProblem as error:
                form.add_error("file", str(error))
            else:
                return self._preview(request, plan, upload.name, token=preview.token)
        return TemplateResponse(request, "admin/accounts/user/import.html", self._context(
            request, _("従業員の一括登録"), form=form, columns=COLUMNS_HELP, limits=limits_text()))

    @staticmethod
    def _reader(request, tenant):
        def read(data, filename):
            try:
                return employees_import(tenant=tenant, actor=request.user, request=request,
                                        data=data, filename=filename, dry_run=True)[0]
            except ImportRefused as error:
                return error.plan
        return read

    def _preview(self, request, plan, filename, *, token):
        """The people the file would change; with ``token``, the file waits for 列の対応 and,
        when it has no problem, for 「この内容で登録する」."""
        return TemplateResponse(request, "admin/accounts/user/import_preview.html", self._context(
            request, _("従業員の一括登録 — 確認"), plan=plan, counts=plan.counts(), filename=filename,
            token=token if plan.ok else None, columns_token=token, report=plan_report(plan),
            choices=[("", _("取り込まない"))] + [(column, LABELS[column]) for column in COLUMNS],
            problems=plan.problems[:1000], more_problems=max(0, len(plan.problems) - 1000)))

    def columns(self, request):
        """列の対応: the file's columns read as chosen, remembered for the company's next import."""
        self._allowed(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:accounts_user_import"))
        try:
            preview = import_preview_open(kind=EMPLOYEES, owner=request.user, token=request.POST.get("token", ""))
        except PreviewRefused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(reverse("admin:accounts_user_import"))
        tenant, data = preview.tenant, bytes(preview.data)
        if not request.user.is_operator and tenant.pk != request.user.tenant_id:
            raise PermissionDenied
        titles = request.POST.getlist("title")[:200]
        choices = request.POST.getlist("column")[:200]
        import_columns_save(request, tenant=tenant, actor=request.user, titles=titles, choices=choices)
        tenant.refresh_from_db()
        try:
            plan = self._reader(request, tenant)(data, preview.filename)
        except FileProblem as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:accounts_user_import"))
        again = import_preview_create(kind=EMPLOYEES, owner=request.user, tenant=tenant,
                                      filename=preview.filename, data=data)
        messages.success(request, _("列の対応を保存しました。次の取り込みからもこの対応で読み込みます。"))
        return self._preview(request, plan, preview.filename, token=again.token)

    def confirm(self, request):
        self._allowed(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:accounts_user_import"))
        claimed = []

        def run(preview):
            claimed.append(preview)
            if not request.user.is_operator and preview.tenant.pk != request.user.tenant_id:
                raise PermissionDenied
            return employees_import(tenant=preview.tenant, actor=request.user, request=request,
                                    data=bytes(preview.data), filename=preview.filename)
        try:
            _claimed, (plan, issued) = import_confirm(kind=EMPLOYEES, owner=request.user,
                                                      token=request.POST.get("token", ""), run=run,
                                                      refusals=(ImportRefused, FileProblem))
        except PreviewRefused as refused:
            messages.error(request, str(refused))
            return HttpResponseRedirect(reverse("admin:accounts_user_import"))
        except FileProblem as error:  # changed since the preview: nothing was written
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:accounts_user_import"))
        except ImportRefused as error:  # the preview is gone: the file is chosen again
            return self._preview(request, error.plan, claimed[0].filename, token=None)
        messages.success(request, _("新規 %(create)s 名 / 更新 %(update)s 名 / 退職 %(offboard)s 名 / "
                                    "在籍に戻す %(reactivate)s 名を登録しました。") % plan.counts())
        if not issued:
            return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))
        return issued_page(self.model_admin, request, [(item.user, item.password) for item in issued])

    # -- credentials: CSV and slips ------------------------------------------------

    @method_decorator(sensitive_post_parameters("credentials"))
    def credentials(self, request):
        self._allowed(request)
        if request.method != "POST":  # opened directly: the passwords exist only on the page that issued them
            return TemplateResponse(request, "admin/accounts/user/slips_direct.html", self._context(
                request, _("ログイン情報のお知らせ")), status=405, headers={"Allow": "POST"})
        pairs = {}
        for line in request.POST.get("credentials", "").splitlines()[:20000]:
            login_id, _tab, password = line.partition("\t")
            if login_id and password:
                pairs[login_id] = password
        users = self.model_admin.get_queryset(request).select_related("tenant").filter(
            login_id__in=list(pairs), password_is_temporary=True)
        # Only passwords that still open the account: a stale or forged page prints
        # nothing wrong. Only the fast temporary-password hash is checked (a hash
        # already re-stored with Argon2 belongs to someone who has logged in), so
        # a long forged list cannot cost minutes of CPU.
        prefix = TemporaryPasswordHasher.algorithm + "$"
        issued = [(user, pairs[user.login_id]) for user in users.order_by("login_id")
                  if user.password.startswith(prefix) and check_password(pairs[user.login_id], user.password)]
        if request.POST.get("format") == "csv":
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            response = HttpResponse(write_csv(CREDENTIALS_HEADER, credentials_rows(issued)),
                                    content_type=CONTENT_TYPES["csv"])
            response["Content-Disposition"] = f'attachment; filename="login-{stamp}.csv"'
            return response
        return TemplateResponse(request, "admin/accounts/user/slips.html", {
            "slips": [{"user": user, "password": password, "expires": expiry_text(user),
                       "limited_mode": user.may_use_limited_mode} for user, password in issued],
            "login_url": request.build_absolute_uri(reverse("accounts:login")),
            "title": _("ログイン情報のお知らせ"), "dropped": len(pairs) - len(issued),
        })

    # -- 書き出し ----------------------------------------------------------------

    def export(self, request):
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        fmt = request.GET.get("format", "csv")
        if fmt not in CONTENT_TYPES:
            fmt = "csv"
        if request.user.is_operator:
            form = ExportForm(request.GET if "tenant" in request.GET else None)
            if not form.is_valid():
                return TemplateResponse(request, "admin/accounts/user/export_choose.html", self._context(
                    request, _("従業員の書き出し"), form=form, format=fmt))
            tenant = form.cleaned_data["tenant"]
        else:
            tenant = request.user.tenant
        response = HttpResponse(employees_export(tenant=tenant, fmt=fmt), content_type=CONTENT_TYPES[fmt])
        stamp = timezone.localtime().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="employees-{tenant.code}-{stamp}.{fmt}"'
        return response


def issued_page(model_admin, request, issued):
    """The temporary passwords, shown once, with the CSV download and the slips."""
    return TemplateResponse(request, "admin/accounts/user/temporary_password_issued.html", {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts, "issued": issued, "title": _("仮パスワードを発行しました"),
        "changelist_url": reverse("admin:accounts_user_changelist"),
        "credentials_text": "\n".join(f"{user.login_id}\t{password}" for user, password in issued),
    })


def offboard_users(model_admin, request, users):
    """The list action 「退職にする」: a confirmation page, then the offboarding service."""
    users = [user for user in users if user.pk != request.user.pk]
    if not users:
        messages.error(request, _("ご自身を退職にしたり、ご自身の会社管理者を外したりはできません。"))
        return None
    if request.POST.get("confirm") == "yes":
        done = [user for user in users if user_offboard(user=user, actor=request.user, request=request)]
        for user in done:
            model_admin.log_change(request, user, _("退職にする（利用停止）"))
        messages.success(request, _("%(count)s 名を退職（利用停止）にしました。記録はそのまま残ります。")
                         % {"count": len(done)})
        return None
    return model_admin._page(request, "admin/accounts/user/offboard.html", users, True,
                             title=_("退職にする（利用停止）"))
