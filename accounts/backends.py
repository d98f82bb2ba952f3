from django.contrib.auth.backends import ModelBackend

from accounts.identity import known_browsers
from accounts.identity.user_load import user_with_company
from accounts.hashers import check_password_evenly
from accounts.models import User


class LoginIdBackend(ModelBackend):
    """Login by ID, compared case-insensitively (full-width typed IDs work too).

    ``get_user`` loads the tenant and its 社外からのアクセス制限 in the same
    query, so every authenticated request costs one query for the user and
    the office IP check (``accounts.sessions.office_ip``) none of its own.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Every refused password costs one Argon2 check (``check_password_evenly``):
        unknown ID, temporary password (valid or expired), inactive account alike,
        so the timing does not tell which IDs exist or still hold a temporary password."""
        if username is None or password is None:
            return None
        user = None
        if self._possible(username):
            try:
                user = User._default_manager.get_by_natural_key(username)
            except User.DoesNotExist:
                pass
        if user is None:
            check_password_evenly(password, None)
            self._wrong_password(request, username)
            return None

        def upgrade(raw):  # Django's hasher upgrade, as AbstractBaseUser.check_password does it
            user.set_password(raw)
            user._password = None
            user.save(update_fields=["password"])

        if not check_password_evenly(password, user.password, upgrade):
            self._wrong_password(request, username)
            return None
        if self.user_can_authenticate(user):
            return user
        if request is not None and getattr(self, "_expired_temporary", False):
            # The password was right but has expired: the login form says so
            # (accounts.login.forms.LoginForm) instead of "wrong ID or password".
            request.temporary_password_expired = True
        return None

    @staticmethod
    def _possible(username) -> bool:
        """Could be a login ID: worth a query (PostgreSQL refuses NUL in a string)."""
        return len(username) <= 100 and "\x00" not in username

    def _wrong_password(self, request, username):
        """Counted against the known-browser cookie it came with (the same query whether
        or not the ID exists)."""
        if request is not None and self._possible(username):
            known_browsers.count_failure(request, username)

    def user_can_authenticate(self, user):
        """Also refuses an expired temporary password, at login and for open sessions."""
        if not super().user_can_authenticate(user):
            return False
        if user.temporary_password_expired:
            self._expired_temporary = True
            return False
        return True

    def get_user(self, user_id):
        user = user_with_company(user_id)  # one query, compiled once (accounts/identity/user_load.py)
        return user if user is not None and self.user_can_authenticate(user) else None
