"""Login: ID + password → (B-ID) ログイン選択 → 6-digit code.

Extends django-two-factor-auth's ``LoginView`` wizard with a choice step
for B-IDs (FAQ ⑥⑫). A-IDs always go to the code; a user without a device is
logged in with the password only and the access middleware confines them to
setup until it is done.
"""

from django.shortcuts import redirect
from django.urls import reverse
from two_factor.views import LoginView as TwoFactorLoginView

from .. import events, known_browsers, office_ip, services
from ..access import Access, access, url_with_next
from ..forms import ChoiceForm, LoginForm, TokenForm
from ..lockout import PER_ADDRESS, record_lockout
from ..otp import user_device
from ..policy import IdKind, id_kind, normalize_login_id
from ..session_lifetime import pop_logout_notice
from ..session_state import MODE_FULL, MODE_LIMITED, mark_full_at_login, mark_limited
from .verify import next_path

CHOICE_STEP = "choice"
# django-two-factor-auth's control field for challenge devices (SMS, call): none here.
CONTROL_FIELDS = ("challenge_device",)
AUTH_HASH_KEY = "netdekomon_auth_hash"  # the session auth hash at the password step
TRUST_KEY = "netdekomon_trust_browser"  # 「このブラウザを信頼する」 at the password step


def _is_b_id(wizard) -> bool:
    user = wizard.get_user()
    return bool(user) and id_kind(user.login_id) is IdKind.B


def _needs_code(wizard) -> bool:
    user = wizard.get_user()
    if not user or user_device(user) is None:
        return False
    if id_kind(user.login_id) is IdKind.A:
        return True
    choice = wizard.storage.validated_step_data.get(CHOICE_STEP, {})
    return choice.get("mode") == MODE_FULL


@access(Access.PUBLIC)
class LoginView(TwoFactorLoginView):
    template_name = "accounts/login.html"
    form_list = (
        (TwoFactorLoginView.AUTH_STEP, LoginForm),
        (CHOICE_STEP, ChoiceForm),
        (TwoFactorLoginView.TOKEN_STEP, TokenForm),
    )
    condition_dict = {
        CHOICE_STEP: _is_b_id,
        TwoFactorLoginView.TOKEN_STEP: _needs_code,
    }

    def has_backup_step(self):
        return False

    def post(self, *args, **kwargs):
        """Only the wizard's own buttons steer it.

        django-two-factor-auth jumps to the code step when ``challenge_device``
        is posted (SMS and call devices; there are none here, the only factor
        is the TOTP app), before the current step is validated: a 500 at the
        password and choice steps. ``wizard_goto_step`` is honoured only for
        the first step (the キャンセル buttons), which starts the login again.
        """
        ignored = [name for name in CONTROL_FIELDS if name in self.request.POST]
        if self.request.POST.get("wizard_goto_step") not in (None, self.AUTH_STEP):
            ignored.append("wizard_goto_step")
        if ignored:
            self.request.POST = self.request.POST.copy()
            for name in ignored:
                self.request.POST.pop(name)
        return super().post(*args, **kwargs)

    def get_redirect_url(self):
        return next_path(self.request)

    def get_form_kwargs(self, step=None):
        kwargs = super().get_form_kwargs(step)
        if step == CHOICE_STEP:
            # 社外からのアクセス制限 with its exception: only the limited mode from here.
            kwargs["limited_only"] = office_ip.limited_only_here(self.get_user(), self.request)
        return kwargs

    def get_device(self, step=None):
        # The user's TOTP device whatever its name: the library's default_device()
        # only finds one named "default", and a device added in the admin may not be.
        if not self.device_cache:
            self.device_cache = user_device(self.get_user())
        return self.device_cache

    def process_step(self, form):
        if self.steps.current == CHOICE_STEP:
            # Kept beside the wizard's own data so the token step's condition can read it.
            self.storage.validated_step_data[CHOICE_STEP] = {"mode": form.cleaned_data["mode"]}
            events.record(self.request, events.Kind.MODE_CHOSEN, user=self.get_user(),
                          detail=form.cleaned_data["mode"])
        data = super().process_step(form)
        if self.steps.current == self.AUTH_STEP and form.user_cache:
            # The user the password form just authenticated (with its company and
            # access rule): the rest of this request uses it instead of loading it again.
            self.user_cache = form.user_cache
            self.storage.data[AUTH_HASH_KEY] = form.user_cache.get_session_auth_hash()
            self.storage.data[TRUST_KEY] = bool(form.cleaned_data.get("trust_browser"))
        # Each step passed moves the login to a new session key, so a session
        # cookie planted before the login (or read off this browser before
        # this step) cannot carry the step's result to another client. The
        # code step ends in django.contrib.auth.login(), which rotates it.
        if self.steps.current != self.TOKEN_STEP:
            self.request.session.cycle_key()
        return data

    def get_user(self):
        """The user of the password step, unless their password or 2FA changed since
        (a new password, a temporary one, a reset): then the login starts again."""
        user = super().get_user()
        if user and self.storage.data.get(AUTH_HASH_KEY) != user.get_session_auth_hash():
            self.user_cache = None
            return False
        return user

    def render(self, form=None, **kwargs):
        if self.steps.current == self.TOKEN_STEP and form is not None and form.is_bound and form.errors:
            kind = form.failure_kind()
            if kind:
                events.record(self.request, kind, user=self.get_user())
        return super().render(form, **kwargs)

    def done(self, form_list, **kwargs):
        user = self.get_user()
        verified = getattr(user, "otp_device", None) is not None
        mode = self.storage.validated_step_data.get(CHOICE_STEP, {}).get("mode", MODE_FULL)
        first_login = user.last_login is None  # the account's first: nothing to compare with
        keep_trust = bool(self.storage.data.get(TRUST_KEY))
        response = super().done(form_list, **kwargs)  # django.contrib.auth.login(): new session key
        if verified:
            mark_full_at_login(self.request)
        elif mode == MODE_LIMITED:
            mark_limited(self.request)
        events.record(self.request, events.Kind.LOGIN_SUCCESS, user=user,
                      detail="code" if verified else mode)
        if verified:
            events.record(self.request, events.Kind.CODE_SUCCESS, user=user)
        if not verified and mode == MODE_FULL:
            # No device yet (the code step was skipped): straight to setup.
            response = redirect(url_with_next(reverse("accounts:setup"), self.get_success_url()))
        # Trust lets this browser past the per-ID ceiling (lockout.py); a browser
        # without valid trust for the user is new to them: the user is told.
        if known_browsers.remember(self.request, response, user, keep=keep_trust) and not first_login:
            services.user_notify_new_device(user=user, request=self.request)
        return response

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["login_user"] = self.get_user() if self.steps.current != self.AUTH_STEP else None
        context["cancel_url"] = None
        if self.request.method == "GET":  # why the last session ended, said once
            context["logout_notice"] = pop_logout_notice(self.request)
        return context


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout (ID + address): the same page, message and cost as a wrong password."""
    credentials = credentials or {}
    login_id = normalize_login_id(str(credentials.get("username", "")))[:40]
    record_lockout(request, login_id=login_id, password=credentials.get("password"),
                   detail=PER_ADDRESS)
    if original_response is not None:
        return original_response  # the login form with its "wrong ID or password" error
    return redirect("accounts:login")  # axes without the page (its async path): a fresh login
