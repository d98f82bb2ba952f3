"""The login gate: one middleware applies the guards of the login, in a declared order.

``LOGIN_GATE_GUARDS`` (settings) lists them, each the dotted path of a
``Guard``. Each guard reads the request's one ``LoginState``
(``accounts.sessions.state.login_state``) and may answer instead of the view:

- before the URL is resolved (``on_request``): ``lifetime`` ends idle and
  too-old sessions, so every later reader sees the session as it now is;
- once the view is known (``on_view``, in the listed order): ``office_ip``
  (社外からのアクセス制限) before ``licence`` (an unused product is a 404)
  before ``access`` (the view's declared level; undeclared views are closed);
- on the way out (``on_response``, in reverse order): ``user_sessions``
  (ログイン中の端末 follows the session).

An app declares the guards it needs in its AppConfig (``gate_guards``: the
dotted paths); the check ``accounts.E005`` fails when an installed app's
guard is missing from LOGIN_GATE_GUARDS or out of the order its ``after``
and ``before`` name, ``accounts.E001``/``E002`` when the gate itself or the
no-store middleware is missing or misplaced. accounts names no guard of the
apps above it: licensing's own AppConfig brings ``licence``.
"""

from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.functional import LazyObject, empty
from django.utils.module_loading import import_string

GATE = "accounts.sessions.gate.LoginGateMiddleware"
NO_STORE = "accounts.sessions.no_store.SessionNoStoreMiddleware"
# The gate reads the session, the user and django-otp's verification.
GATE_AFTER = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
]


@dataclass(frozen=True)
class Guard:
    """One rule of the gate. Each phase returns a response to answer instead, or None."""

    name: str
    on_request: Callable | None = None  # (request) -> response | None
    on_view: Callable | None = None  # (request, view_func) -> response | None
    on_response: Callable | None = None  # (request, response) -> None
    after: tuple[str, ...] = ()  # guards that must come earlier, when listed
    before: tuple[str, ...] = ()  # guards that must come later, when listed


def configured_guards() -> list[Guard]:
    return [import_string(path) for path in settings.LOGIN_GATE_GUARDS]


class LoginGateMiddleware:
    """Registered after django-otp's ``OTPMiddleware`` (accounts.E002)."""

    def __init__(self, get_response):
        self.get_response = get_response
        guards = configured_guards()
        self.request_guards = [g.on_request for g in guards if g.on_request]
        self.view_guards = [g.on_view for g in guards if g.on_view]
        self.response_guards = [g.on_response for g in reversed(guards) if g.on_response]

    def __call__(self, request):
        for guard in self.request_guards:
            answer = guard(request)
            if answer is not None:
                return answer
        _unwrap_user(request)
        response = self.get_response(request)
        for guard in self.response_guards:
            guard(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        for guard in self.view_guards:
            answer = guard(request, view_func)
            if answer is not None:
                return answer
        return None


def _unwrap_user(request) -> None:
    """Once the guards have loaded the user (the lifetime guard does), ``request.user`` becomes
    the loaded object itself instead of django-otp's lazy wrapper around Django's lazy wrapper: the same object,
    read a hundred times a request without the wrapper's three calls per attribute."""
    user = request.__dict__.get("user")
    while isinstance(user, LazyObject) and user._wrapped is not empty:  # django-otp's, around Django's
        user = user._wrapped
    if user is not request.__dict__.get("user") and not isinstance(user, LazyObject):
        request.user = user


# --- The one check of the order ---------------------------------------------------

@register(Tags.security)
def check_gate(app_configs=None, **kwargs):
    """The gate and the no-store middleware in place, every app's guards listed, in order."""
    return _middleware_errors(list(settings.MIDDLEWARE)) or _guard_errors()


def _middleware_errors(middleware: list[str]) -> list[Error]:
    if GATE not in middleware:
        return [Error("The login gate middleware is not installed; every view would be open.",
                      hint=f"Add '{GATE}' to MIDDLEWARE after '{GATE_AFTER[-1]}'.", id="accounts.E001")]
    errors = [
        Error(f"'{GATE}' must come after '{name}'.",
              hint="It reads the session, the user and the verification of the second factor.", id="accounts.E002")
        for name in GATE_AFTER if name not in middleware or middleware.index(name) > middleware.index(GATE)
    ]
    session = GATE_AFTER[0]
    if NO_STORE not in middleware or (session in middleware and middleware.index(NO_STORE) > middleware.index(session)):
        errors.append(Error(f"'{NO_STORE}' must be installed before '{session}'.",
                            hint="It marks every response of a session no-store, the session's cookie included.",
                            id="accounts.E002"))
    return errors


def _guard_errors() -> list[Error]:
    listed = list(settings.LOGIN_GATE_GUARDS)
    errors = [
        Error(f"The guard '{path}' of the app '{config.label}' is not in LOGIN_GATE_GUARDS.",
              hint="Every installed app's gate_guards are listed; without it its rule is not applied.",
              id="accounts.E005")
        for config in apps.get_app_configs() for path in getattr(config, "gate_guards", ())
        if path not in listed
    ]
    guards = configured_guards()
    position = {guard.name: index for index, guard in enumerate(guards)}
    for index, guard in enumerate(guards):
        errors += [Error(f"The guard '{guard.name}' must come after '{name}' in LOGIN_GATE_GUARDS.",
                         id="accounts.E005")
                   for name in guard.after if name in position and position[name] > index]
        errors += [Error(f"The guard '{guard.name}' must come before '{name}' in LOGIN_GATE_GUARDS.",
                         id="accounts.E005")
                   for name in guard.before if name in position and position[name] < index]
    return errors
