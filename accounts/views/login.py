"""Login: ID + password → (B-ID) ログイン選択 → 6-digit code.

Extends django-two-factor-auth's ``LoginView`` wizard with a choice step
for B-IDs (FAQ ⑥⑫). A-IDs always go to the code; a user without a device is
logged in with the password only and the access middleware confines them to
setup until it is done.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from two_factor import signals as two_factor_signals
from two_factor.views import LoginView as TwoFactorLoginView

from accounts.audit import events
from accounts.identity import known_browsers, login_policy
from accounts.sessions import office_ip
from accounts.people import services
from kit.access import Access, access, declared_level, url_with_next
from accounts.login import hooks
from accounts.login.forms import ChoiceForm, LoginForm, TokenForm
from accounts.identity.lockout import PER_ADDRESS, record_lockout
from accounts.mfa import passkeys, recovery
from accounts.mfa.otp import user_device
from ..policy import IdKind, id_kind, normalize_login_id
from accounts.sessions.lifetime import pop_logout_notice
from accounts.sessions.state import MODE_FULL, MODE_LIMITED, mark_full_at_login, mark_limited
from .verify import next_path, recovery_used

CHOICE_STEP = "choice"
# django-two-factor-auth's control field for challenge devices (SMS, call): none here.
CONTROL_FIELDS = ("challenge_device",)
AUTH_HASH_KEY = "netdekomon_auth_hash"  # the session auth hash at the password step
TRUST_KEY = "netdekomon_trust_browser"  # 「このブラウザを信頼する」 at the password step
METHOD_KEY = "netdekomon_method"  # the factor proved at the code step: code, passkey or recovery


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


def _view_at(target: str):
    """The URL match of the view that answers ``target``, or None (not mounted)."""
    try:
        return resolve(unquote(urlsplit(target).path))
    except Resolver404:
        return None


def reachable(target: str, user, level: Access) -> str:
    """``target`` (a path on this site, from ``next_path``) when a mounted view
    answers it and ``user`` may open it at ``level``, else "".

    An unmounted path, or a page the login did not reach (the console after
    the limited mode), is dropped: the portal, where the user may step up.
    """
    match = _view_at(target) if target else None
    if match is None:
        return ""
    required = declared_level(match.func)
    if required is None or required > level:
        return ""
    if match.app_name == "admin" and not (user.is_staff and user.is_active):
        return ""  # the console refuses employees: no point sending them there
    if match.app_name == "admin" and match.url_name in (None, "logout"):
        return ""  # the console's catch-all (a 404 behind a login) and its POST-only logout
    if "get" not in getattr(getattr(match.func, "view_class", None), "http_method_names", ("get",)):
        return ""  # a POST-only view (logout): a redirect would answer 405
    return target


def finish_login(request, user, *, method, mode, target, keep_trust, backend=None, recorded=None):
    """Log ``user`` in and leave the login for a page they may open in the mode reached:
    the end of the login wizard, and of 「パスキーでログイン」 (``backend`` given: no
    password step authenticated the user). ``user.otp_device`` is the second factor
    proved (``method``: "code", "passkey" or "passwordless"), or None. ``recorded``: the
    method ログイン履歴 shows, when another login than the password's (single sign-on).
    A full-mode login without the code goes on to the code (the user has a device) or
    to the setup."""
    device = getattr(user, "otp_device", None)
    verified = device is not None
    first_login = user.last_login is None  # the account's first: nothing to compare with
    login(request, user, backend=backend)  # a new session key
    if verified:
        two_factor_signals.user_verified.send(sender=__name__, request=request, user=user, device=device)
        mark_full_at_login(request)
    elif mode == MODE_LIMITED:
        mark_limited(request)
    events.record(request, events.Kind.LOGIN_SUCCESS, user=user,
                  method=recorded or (method if verified else "limited" if mode == MODE_LIMITED else "password"))
    if method == "code":
        events.record(request, events.Kind.CODE_SUCCESS, user=user)
    portal = resolve_url(settings.LOGIN_REDIRECT_URL)
    if method == "recovery":  # the phone is gone: on to setting a factor up again
        response = recovery_used(request)
    elif not verified and mode == MODE_FULL:
        # No device yet (the code step was skipped): the setup, then ``next``
        # (a temporary password is changed after the setup: the middleware); a
        # login that did not ask the code (single sign-on): the code.
        step = "accounts:verify" if recorded and user_device(user) is not None else "accounts:setup"
        response = redirect(url_with_next(reverse(step), reachable(target, user, Access.FULL)))
    else:
        level = Access.FULL if verified else Access.LIMITED
        response = redirect(reachable(target, user, level) or portal)
    # Trust lets this browser past the per-ID ceiling (lockout.py); a browser
    # without valid trust for the user is new to them: the user is told.
    if known_browsers.remember(request, response, user, keep=keep_trust) and not first_login:
        services.user_notify_new_device(user=user, request=request)
    return response


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
        """``next`` when it is a page of this site, else "" (the portal)."""
        target = next_path(self.request)
        return target if target and _view_at(target) is not None else ""

    def get_form_kwargs(self, step=None):
        kwargs = super().get_form_kwargs(step)
        if step == CHOICE_STEP:
            # 社外からのアクセス制限 with its exception: only the limited mode from here.
            kwargs["limited_only"] = office_ip.limited_only_here(self.get_user(), self.request)
        if step == self.TOKEN_STEP:
            kwargs["request"] = self.request  # a passkey is checked against this session's challenge
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
                          mode=form.cleaned_data["mode"])
        data = super().process_step(form)
        if self.steps.current == self.TOKEN_STEP:
            # Which factor was proved, kept for done(); what was typed or signed is not kept
            # in the session (a spent 回復コード, a code, a passkey's answer).
            self.storage.data[METHOD_KEY] = form.method
            data = data.copy()
            for name in ("otp_token", "recovery", "passkey"):
                data.pop(form.add_prefix(name), None)
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
        """Log in and leave the login for a page the user may open in the mode reached.

        Goes around django-two-factor-auth's ``done()``: for a user without a
        device and a ``next`` that needs the code (the console), it redirects
        to ``two_factor:setup``, a URL this project does not mount (a 500).
        Its other work is done here: ``login()`` and the ``user_verified``
        signal (the remember-device cookie is off: TWO_FACTOR_REMEMBER_COOKIE_AGE).
        """
        user = self.get_user()
        verified = getattr(user, "otp_device", None) is not None
        response = finish_login(
            self.request, user,
            method=self.storage.data.get(METHOD_KEY, "code") if verified else None,
            mode=self.storage.validated_step_data.get(CHOICE_STEP, {}).get("mode", MODE_FULL),
            target=self.get_redirect_url(),
            keep_trust=bool(self.storage.data.get(TRUST_KEY)))  # read before login() ends the wizard
        hooks.password_login_done(self.request, user)  # a break-glass login of single sign-on
        return response

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["login_user"] = self.get_user() if self.steps.current != self.AUTH_STEP else None
        if self.steps.current == self.TOKEN_STEP and context["login_user"]:
            context["passkey_options"] = passkeys.authentication_options(self.request, context["login_user"])
            context["recovery_offered"] = recovery.offered(context["login_user"])
        context["cancel_url"] = None
        if self.steps.current == self.AUTH_STEP:  # 「パスキーでログイン」, where some company allows it
            context["passwordless"] = login_policy.passwordless_offered()
            context["company_login"] = hooks.find_url()  # 「会社のアカウントでログイン」
            context["next"] = next_path(self.request)
        if self.request.method == "GET":  # why the last session ended, said once
            context["logout_notice"] = pop_logout_notice(self.request)
        return context


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout (ID + address): the login page, whose form says the restriction and
    its end (``LoginForm``: the same for an ID that does not exist), at a wrong password's cost."""
    credentials = credentials or {}
    login_id = normalize_login_id(str(credentials.get("username", "")))[:40]
    record_lockout(request, login_id=login_id, password=credentials.get("password"),
                   reason=PER_ADDRESS)
    if original_response is not None:
        return original_response  # the login form with its 「一時的に制限しています」 error
    return redirect("accounts:login")  # axes without the page (its async path): a fresh login
