from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.cache import never_cache

from accounts.access import Access, access
from accounts.tenancy import get_object_for_tenant

from .forms import PayslipImportForm
from .models import Payslip
from .services import SAMPLE_CSV, PayslipImportError, payslips_import_csv


def _own_payslips(request):
    """Only the requesting employee's payslips, inside their tenant."""
    return Payslip.objects.for_tenant(request.user.tenant).of_user(request.user)


@access(Access.LIMITED)
@never_cache  # pay, bank or punch data: not kept by the browser or a proxy
def payslip_list(request):
    payslips = _own_payslips(request).for_list()
    return render(request, "payslips/list.html", {
        "payslips": payslips,
        "may_register": _may_register(request.user),
    })


@access(Access.LIMITED)
@never_cache  # pay, bank or punch data: not kept by the browser or a proxy
def payslip_detail(request, pk):
    payslip = get_object_for_tenant(request, _own_payslips(request).prefetch_related("items"), pk=pk)
    return render(request, "payslips/detail.html", _detail_context(payslip))


@access(Access.LIMITED)
@never_cache  # pay, bank or punch data: not kept by the browser or a proxy
def payslip_print(request, pk):
    payslip = get_object_for_tenant(
        request, _own_payslips(request).select_related("user__tenant").prefetch_related("items"), pk=pk)
    return render(request, "payslips/print.html", _detail_context(payslip))


def _detail_context(payslip):
    items = list(payslip.items.all())
    return {
        "payslip": payslip,
        "earnings": [i for i in items if i.kind == i.Kind.EARNING],
        "deductions": [i for i in items if i.kind == i.Kind.DEDUCTION],
        "totals": payslip.totals(),
    }


def _may_register(user) -> bool:
    return bool(user.is_staff and user.tenant_id and user.has_perm("payslips.add_payslip"))


def _require_company_admin(request):
    if not _may_register(request.user):
        raise PermissionDenied


@access(Access.FULL)
def payslip_import(request):
    """明細登録: a company administrator uploads the payroll CSV."""
    _require_company_admin(request)
    errors = []
    form = PayslipImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = payslips_import_csv(tenant=request.user.tenant, file=form.cleaned_data["file"],
                                          actor=request.user)
        except PayslipImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, ngettext("%(count)d 件の明細を登録しました。", "%(count)d 件の明細を登録しました。",
                                               len(created)) % {"count": len(created)})
            return redirect("payslips:import")
    return render(request, "payslips/import.html", {"form": form, "errors": errors})


@access(Access.FULL)
def payslip_import_sample(request):
    _require_company_admin(request)
    response = HttpResponse(SAMPLE_CSV.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="payslips-sample.csv"'
    return response
