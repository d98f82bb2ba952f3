"""The code step outside the login wizard: step-up from the limited mode,
and the code for a session whose login did not include it."""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, resolve_url
from django.conf import settings
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.audit import events
from kit.access import Access, access, url_with_next
from accounts.login.forms import TokenForm
from accounts.identity import login_policy
from accounts.mfa import passkeys, recovery
from accounts.mfa.otp import user_device
from accounts.models import Passkey
from accounts.sessions.state import mark_full, reached_level


def next_path(request) -> str:
    """The ``next`` parameter when it is a path on this site, else "".

    Only a path starting with "/" is taken: a bare word ("portal") passes
    ``url_has_allowed_host_and_scheme`` but ``redirect()`` would try it as a
    URL name (NoReverseMatch, a 500).
    """
    target = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def safe_next(request, fallback=None) -> str:
    """The ``next`` parameter when it stays on this site, else the portal."""
    return next_path(request) or resolve_url(fallback or settings.LOGIN_REDIRECT_URL)


def recovery_used(request):
    """After a 回復コード: the security page, which says what to do with a lost phone."""
    left = recovery.state(request.user)["left"]
    messages.warning(request, _(
        "回復コードで認証しました（残り %(left)d 個）。スマートフォンを紛失した場合は、下の「2要素認証の初期化」で"
        "設定し直してください。") % {"left": left})
    return redirect("accounts:security")


@access(Access.LOGIN)
@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class VerifyView(FormView):
    template_name = "accounts/verify.html"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        # ?passkey=required: the console of a company that requires a passkey of its
        # administrators (accounts.console.guards) — only a passkey will do.
        self.passkey_only = request.GET.get("passkey") == "required" and passkeys.has_passkey(request.user)
        device = getattr(request.user, "otp_device", None)
        verified_enough = request.user.is_verified() and (
            not self.passkey_only or (isinstance(device, Passkey) and login_policy.settled(device, request.user)))
        if verified_enough:
            return redirect(safe_next(request))
        if user_device(request.user) is None:
            return redirect(url_with_next(resolve_url("accounts:setup"), safe_next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, initial_device=user_device(self.request.user), request=self.request,
                      only_passkey=self.passkey_only)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request)
        # キャンセル: back to the limited portal, or out of a login that is not finished.
        context["cancel_to_portal"] = reached_level(self.request) >= Access.LIMITED
        context["passkey_options"] = passkeys.authentication_options(self.request, self.request.user)
        context["recovery_offered"] = recovery.offered(self.request.user) and not self.passkey_only
        context["passkey_only"] = self.passkey_only
        return context

    def form_invalid(self, form):
        kind = form.failure_kind()
        if kind:
            events.record(self.request, kind, user=self.request.user)
        return super().form_invalid(form)

    def form_valid(self, form):
        user = self.request.user
        mark_full(self.request, user.otp_device)
        events.record(self.request, events.Kind.STEP_UP, user=user, method=form.method)
        if form.method == "recovery":
            return recovery_used(self.request)
        return redirect(safe_next(self.request))
