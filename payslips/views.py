import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext

from kit.access import Access, access
from kit.compiled import CompiledQuery
from kit.core import ImportPreview, Tenant, PreviewRefused, import_confirm, import_preview_discard, import_upload
from kit.spreadsheets import limits_text
from kit.tenancy import get_object_for_tenant

from .forms import PayslipImportForm, PublishedOnForm
from .models import Payslip
from .models import month_label
from .notices import payslip_notices_send, payslip_notices_waiting
from .services import MAX_BYTES, SAMPLE_CSV, PayslipImportError, payslips_import_rows, payslips_read


def _own(tenant_id, user_id, today=None):
    """Only this employee's payslips, inside their tenant, from their 公開日 on."""
    return Payslip.objects.for_tenant(None if tenant_id is None else Tenant(pk=tenant_id)).filter(
        user_id=user_id).published(today)


def _own_payslips(request):
    return _own(request.user.tenant_id, request.user.pk)


# The list is the page employees open most after the punch: its query (the 差引支給額
# sum of every slip) is compiled once per process, not on every request.
_own_list = CompiledQuery(lambda tenant, user, today: _own(tenant, user, today).for_list(),
                          tenant=-2_000_000_001, user=-2_000_000_002, today=datetime.date(1900, 1, 2))


@access(Access.LIMITED)
def payslip_list(request):
    """The employee's own slips from their 公開日 on (``_own_payslips``, compiled)."""
    user = request.user
    payslips = _own_list(tenant=user.tenant_id, user=user.pk, today=timezone.localdate())
    return render(request, "payslips/list.html", {
        "payslips": payslips,
        "may_register": _may_register(request.user),
    })


@access(Access.LIMITED)
def payslip_detail(request, pk):
    payslip = get_object_for_tenant(request, _own_payslips(request).prefetch_related("items", "attendance"), pk=pk)
    return render(request, "payslips/detail.html", _detail_context(payslip))


@access(Access.LIMITED)
def payslip_print(request, pk):
    payslip = get_object_for_tenant(
        request, _own_payslips(request).select_related("user__tenant").prefetch_related("items", "attendance"), pk=pk)
    return render(request, "payslips/print.html", _detail_context(payslip))


def _detail_context(payslip):
    items = list(payslip.items.all())
    return {
        "payslip": payslip,
        "attendance": list(payslip.attendance.all()),
        "earnings": [i for i in items if i.kind == i.Kind.EARNING],
        "deductions": [i for i in items if i.kind == i.Kind.DEDUCTION],
        "totals": payslip.totals(),
    }


def _may_register(user) -> bool:
    return bool(user.is_staff and user.tenant_id and user.has_perm("payslips.add_payslip"))


def _require_company_admin(request):
    if not _may_register(request.user):
        raise PermissionDenied


PREVIEW_ROWS = 50
PAYSLIPS = ImportPreview.Kind.PAYSLIPS


@access(Access.FULL)
def payslip_import(request):
    """明細登録: a company administrator uploads the payroll CSV, checks the preview, then registers it."""
    _require_company_admin(request)
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirmed(request)
    if request.method == "GET" or "cancel" in request.POST:
        # Everyone's pay is kept no longer than the preview is on screen.
        import_preview_discard(kind=PAYSLIPS, owner=request.user)
        if request.method == "POST":
            return redirect("payslips:import")
    errors = []
    form = PayslipImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The file is read again at the confirmation, so a payslip registered
            # meanwhile is still refused.
            rows, preview = import_upload(
                kind=PAYSLIPS, owner=request.user, tenant=request.user.tenant,
                upload=form.cleaned_data["file"], max_bytes=MAX_BYTES,
                read=lambda data, filename: payslips_read(tenant=request.user.tenant, data=data, filename=filename))
        except PayslipImportError as exc:
            errors = exc.errors
        else:
            return _preview(request, rows, preview, form.cleaned_data["published_on"])
    return render(request, "payslips/import.html", {"form": form, "errors": errors,
                                                    "limits": limits_text(MAX_BYTES)})


def _preview(request, rows, preview, published_on):
    months = sorted({row.month for row in rows})
    return render(request, "payslips/import_preview.html", {
        "published_on": published_on, "published_now": published_on <= timezone.localdate(),
        "attendance_names": list(dict.fromkeys(name for row in rows for name, _v, _u in row.attendance)),
        "rows": rows[:PREVIEW_ROWS], "more": max(len(rows) - PREVIEW_ROWS, 0), "count": len(rows),
        "employees": len({row.user.pk for row in rows}), "months": months,
        "earnings": sum(row.earnings for row in rows), "net": sum(row.net for row in rows),
        "digest": preview.token, "file_name": preview.filename,
    })


def _import_confirmed(request):
    chosen = PublishedOnForm(request.POST)
    if not chosen.is_valid():
        messages.warning(request, _("公開日を読み取れませんでした。もう一度取り込んでください。"))
        return redirect("payslips:import")
    published_on = chosen.cleaned_data["published_on"]

    def run(preview):
        rows = payslips_read(tenant=request.user.tenant, data=bytes(preview.data), filename=preview.filename)
        return rows, payslips_import_rows(rows=rows, actor=request.user, published_on=published_on)
    try:
        _claimed, (rows, created) = import_confirm(kind=PAYSLIPS, owner=request.user,
                                                   token=request.POST.get("digest", ""), run=run,
                                                   refusals=(PayslipImportError,))
    except PreviewRefused as refused:
        messages.warning(request, str(refused))
        return redirect("payslips:import")
    except PayslipImportError as exc:
        return render(request, "payslips/import.html", {"form": PayslipImportForm(), "errors": exc.errors,
                                                        "limits": limits_text(MAX_BYTES)})
    months = sorted({row.month for row in rows})
    messages.success(request, ngettext(
        "%(months)s の明細を %(count)d 件登録しました（%(employees)d 名）。",
        "%(months)s の明細を %(count)d 件登録しました（%(employees)d 名）。", len(created)) % {
        "months": _("、").join(month_label(m) for m in months), "count": len(created),
        "employees": len({row.user.pk for row in rows})})
    if published_on <= timezone.localdate():
        sent = payslip_notices_send(payslips=created, people=settings.PAYSLIP_NOTICES_IN_REQUEST)
        messages.info(request, ngettext(
            "従業員に公開しました。%(count)d 名に「明細が公開されました」のメールを送りました。",
            "従業員に公開しました。%(count)d 名に「明細が公開されました」のメールを送りました。", sent) % {"count": sent})
        left = payslip_notices_waiting(payslips=created)
        if left:  # a large company: the rest by the scheduled command, not while the administrator waits
            messages.info(request, ngettext(
                "残りの %(count)d 名へのメールは、このあと自動で順に送ります（10分ほどかかります）。",
                "残りの %(count)d 名へのメールは、このあと自動で順に送ります（10分ほどかかります）。", left) % {
                "count": left})
    else:
        messages.info(request, _("%(date)s に従業員に公開し、その日にメールでお知らせします。") % {
            "date": date_format(published_on, _("Y年n月j日"))})
    return redirect(_registered_list_url(months))


def _registered_list_url(months) -> str:
    """The console's payslip list, narrowed to the imported months by its date hierarchy."""
    url = reverse("admin:payslips_payslip_changelist")
    if len(months) == 1:
        return f"{url}?pay_month__year={months[0].year}&pay_month__month={months[0].month}"
    if len({m.year for m in months}) == 1:
        return f"{url}?pay_month__year={months[0].year}"
    return url


@access(Access.FULL)
def payslip_import_sample(request):
    _require_company_admin(request)
    response = HttpResponse(SAMPLE_CSV.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="payslips-sample.csv"'
    return response
