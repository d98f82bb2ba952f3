from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kit.access import Access, access
from kit.confirmation import CONFIRM, EDIT, confirmation_rows, requested_step
from kit.drafts import draft_sent, just_sent
from kit.form_tokens import ALREADY_SENT
from kit.tenancy import get_object_for_tenant

from .forms import FORMS
from .models import Submission
from .services import submission_create


def _own_submissions(request):
    return Submission.objects.for_tenant(request.user.tenant).of_user(request.user)


@access(Access.FULL)
def submission_list(request):
    return render(request, "reception/list.html", {
        "submissions": _own_submissions(request).with_details(),
        "kinds": Submission.Kind.choices,
    })


@access(Access.FULL)
def submission_new(request, kind):
    try:
        kind = Submission.Kind(kind)
    except ValueError:
        raise Http404
    form = FORMS[kind](request.POST or None)
    step = requested_step(request)  # 入力 → 確認 → 完了
    if request.method == "POST" and form.is_valid() and step == CONFIRM:
        return render(request, "reception/confirm.html", {"form": form, "kind": kind, "rows": confirmation_rows(form)})
    if request.method == "POST" and form.is_valid() and step != EDIT:
        submission, created = submission_create(user=request.user, kind=kind, detail=form.save(commit=False),
                                                token=form.cleaned_data["token"])
        if created:
            messages.success(request, _("「%(kind)s」を提出しました。会社の処理をお待ちください。") % {
                "kind": submission.get_kind_display()})
        else:  # the same form again: land on what it already sent
            messages.info(request, ALREADY_SENT)
        # Sent: the browser forgets the typed text.
        return draft_sent(redirect("reception:detail", pk=submission.pk), f"reception-{kind.value}")
    return render(request, "reception/form.html", {"form": form, "kind": kind})


@access(Access.FULL)
def submission_detail(request, pk):
    submission = get_object_for_tenant(request, _own_submissions(request).with_details(), pk=pk)
    detail = submission.detail
    fields = [(f.verbose_name, _display(detail, f)) for f in detail._meta.fields if f.name != "submission"]
    return render(request, "reception/detail.html", {
        "submission": submission, "fields": fields,
        "just_sent": just_sent(request, f"reception-{submission.kind}")})


def _display(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return getattr(obj, field.name)
