from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kit.access import Access, access
from kit.confirmation import CONFIRM, EDIT, confirmation_rows, requested_step
from kit.drafts import draft_sent, just_sent
from kit.form_tokens import ALREADY_SENT
from kit.tenancy import get_object_for_tenant

from .forms import FORMS
from .models import Submission
from .postal import address_for, fill_from_postal_code
from .services import address_last_known, submission_create

LOOKUP = "lookup"  # 「住所を検索」: the address of the postal code, without JavaScript


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
    if request.method == "POST" and request.POST.get("step") == LOOKUP:
        return _looked_up(request, kind)
    initial = {"previous_address": address_last_known(request.user)} if kind == Submission.Kind.ADDRESS else {}
    form = FORMS[kind](request.POST or None, initial=initial)
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


def _looked_up(request, kind):
    """The input page again, the address of the typed postal code filled in, nothing typed lost."""
    typed = {name: request.POST.get(name, "") for name in FORMS[kind].base_fields}
    values, found, kept = fill_from_postal_code(typed)
    return render(request, "reception/form.html", {
        "form": FORMS[kind](initial=values), "kind": kind, "looked_up": True, "found": found,
        "kept": [FORMS[kind].base_fields[name].label for name in kept]})


@access(Access.FULL)
def postal_code_lookup(request):
    """The address of ``?code=`` as JSON for the 住所変更 form (Japan Post's data on this server)."""
    found = address_for(request.GET.get("code", ""))
    return JsonResponse({"found": found is not None, **(found or {})})


@access(Access.FULL)
def submission_detail(request, pk):
    submission = get_object_for_tenant(request, _own_submissions(request).with_details(), pk=pk)
    detail = submission.detail
    fields = detail.rows() if hasattr(detail, "rows") else [
        (f.verbose_name, _display(detail, f)) for f in detail._meta.fields if f.name != "submission"]
    return render(request, "reception/detail.html", {
        "submission": submission, "fields": fields,
        "just_sent": just_sent(request, f"reception-{submission.kind}")})


def _display(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return getattr(obj, field.name)
