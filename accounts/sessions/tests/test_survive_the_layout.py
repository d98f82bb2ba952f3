"""Logged-in sessions survive a deploy of the new layout of ``accounts``.

Django stores the dotted path of the authentication backend in every
session and logs the user out when that path is no longer in
AUTHENTICATION_BACKENDS; the path of the stored password hashers is not
stored (the hash names its algorithm). So the backend keeps its path.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user
from django.test import RequestFactory

STORED_BEFORE = "accounts.backends.LoginIdBackend"  # in the sessions of every logged-in user today


def test_a_session_logged_in_before_the_new_layout_is_still_logged_in(employee_a):
    user = employee_a
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = STORED_BEFORE
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()

    request = RequestFactory().get("/")
    request.session = engine.SessionStore(session.session_key)
    assert get_user(request) == user

