"""ネット de 就業: 打刻, 月次の打刻一覧, 届出申請.

Access levels:

- 打刻 (``punch``) — LIMITED: the one thing the limited mode exists for.
- 月次一覧 (``month``) — LIMITED: it shows the user's own punches and
  nothing else, the same records the punch page lists, and employees check
  their month on the phone they punch with. It changes nothing. (In the
  full mode it also shows the user's requests on their days.)
- 届出申請 (``requests`` …) — FULL: requests change working time records
  and are decided by the company, so they need the code.
"""

import calendar
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.access import Access, access
from kit.confirmation import CONFIRM, EDIT, confirmation_rows, requested_step
from kit.drafts import draft_sent, just_sent
from kit.form_tokens import ALREADY_SENT
from kit.receipts import ReceiptRefused, first_arrival, resend_on_overload
from kit.core import reached_level
from kit.tenancy import get_object_for_tenant

from .forms import PunchForm, form_for_kind, new_punch_token
from .models import TOKYO, AttendanceRequest, Punch, work_date_of
from .services import PunchRefused, punch_record, request_submit
from .timesheet import ALLOWED_AFTER, STATUS, hours_label, month_days

RECENT_PUNCHES = 8
REQUESTS_SHOWN = 100
BUTTON_ORDER = [Punch.Kind.IN, Punch.Kind.OUT, Punch.Kind.BREAK_START, Punch.Kind.BREAK_END]


@access(Access.LIMITED)
@resend_on_overload("token")  # 「混み合っています」 resends the same punch, recorded at its first arrival
def punch(request):
    if request.method == "POST":
        form = PunchForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.first_error())
        else:
            kind, token = form.cleaned_data["kind"], form.cleaned_data["token"]
            try:
                result = punch_record(user=request.user, kind=kind, token=token,
                                      now=first_arrival(request))
            except (PunchRefused, ReceiptRefused) as refused:
                messages.error(request, str(refused))
            else:
                label = Punch.Kind(kind).label
                at = f"{result.punch.local_time:%H:%M}"
                if result.created:
                    messages.success(request, _("%(kind)sを%(time)sに打刻しました。") % {"kind": label, "time": at})
                else:
                    messages.info(request, _("この%(kind)s（%(time)s）は既に記録されています。二重には記録されません。")
                                  % {"kind": label, "time": at})
        return redirect("attendance:punch")

    now = timezone.localtime(timezone.now(), TOKYO)
    today = work_date_of(now)
    recent = list(Punch.objects.filter(user=request.user).order_by("-punched_at", "-pk")[:RECENT_PUNCHES])
    todays = [p for p in recent if p.work_date == today]
    last_kind = todays[0].kind if todays else None
    allowed = ALLOWED_AFTER[last_kind]
    buttons = [{"kind": kind, "label": kind.label, "enabled": kind in allowed} for kind in BUTTON_ORDER]
    return render(request, "attendance/punch.html", {
        "now": now, "today": today, "status": STATUS[last_kind], "buttons": buttons, "finished": not allowed,
        "token": new_punch_token(), "todays": list(reversed(todays)),
        "earlier": [p for p in recent if p.work_date != today],
    })


@access(Access.LIMITED)
def month(request, year=None, month=None):
    today = work_date_of(timezone.now())
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    punches = Punch.objects.filter(user=request.user, work_date__range=(first, last))
    requests = []
    if reached_level(request) >= Access.FULL:
        requests = AttendanceRequest.objects.filter(user=request.user).exclude(
            status__in=[AttendanceRequest.Status.REJECTED, AttendanceRequest.Status.WITHDRAWN]
        ).overlapping(first, last)
    days = month_days(year, month, punches, requests)
    worked = [d.work_minutes for d in days if d.work_minutes is not None]
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render(request, "attendance/month.html", {
        "first": first, "days": days, "today": today, "previous": previous, "following": following,
        "days_worked": len(worked), "total": hours_label(sum(worked)),
    })


@access(Access.FULL)
def requests(request):
    items = AttendanceRequest.objects.filter(user=request.user).select_related("decided_by")
    return render(request, "attendance/requests.html", {"items": items[:REQUESTS_SHOWN]})


@access(Access.FULL)
def request_create(request):
    """入力 → 確認 → 完了 of one kind of request (``?kind=overtime``…; 休暇 when none is given),
    with only the fields that kind needs; the page's tabs switch the kind."""
    kind = request.POST.get("kind", "") if request.method == "POST" else request.GET.get("kind", "")
    form_class = form_for_kind(kind or AttendanceRequest.Kind.LEAVE)
    if form_class is None:
        raise Http404
    extra = {"punch_kind": request.GET.get("punch", "")} if kind == AttendanceRequest.Kind.CORRECTION else {}
    form = form_class(request.POST or None, user=request.user, **extra)
    step = requested_step(request)  # 入力 → 確認 → 完了
    if request.method == "POST" and form.is_valid() and step == CONFIRM:
        rows = [(AttendanceRequest._meta.get_field("kind").verbose_name, form.kind_label), *confirmation_rows(form)]
        return render(request, "attendance/request_confirm.html", {"form": form, "rows": rows})
    if request.method == "POST" and form.is_valid() and step != EDIT:
        item, created = request_submit(item=form.save(commit=False), token=form.cleaned_data["token"])
        if created:
            messages.success(request, _("%(kind)sを申請しました。会社の管理者の承認をお待ちください。")
                             % {"kind": item.get_kind_display()})
        else:  # the same form again: land on the request it already filed
            messages.info(request, ALREADY_SENT)
        # Sent: the browser forgets the typed text.
        return draft_sent(redirect("attendance:request_detail", pk=item.pk), "attendance-request")
    return render(request, "attendance/request_form.html", {"form": form, "kinds": AttendanceRequest.Kind.choices})


@access(Access.FULL)
def request_detail(request, pk):
    """One of the user's own requests; a POST withdraws it while it is pending."""
    item = get_object_for_tenant(
        request, AttendanceRequest.objects.filter(user=request.user).select_related("decided_by"), pk=pk)
    if request.method == "POST":
        if item.withdraw():
            messages.success(request, _("申請を取り下げました。"))
        else:
            messages.error(request, _("処理済みの申請は取り下げられません。"))
        return redirect("attendance:request_detail", pk=item.pk)
    return render(request, "attendance/request_detail.html", {
        "item": item, "just_sent": just_sent(request, "attendance-request")})
