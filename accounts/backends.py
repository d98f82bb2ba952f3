from django.contrib.auth.backends import ModelBackend

from .models import User


class LoginIdBackend(ModelBackend):
    """Login by ID, compared case-insensitively (full-width typed IDs work too).

    ``get_user`` loads the tenant and its 社外からのアクセス制限 in the same
    query, so every authenticated request costs one query for the user and
    the office IP check (``accounts.office_ip``) none of its own.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if len(username) > 100 or "\x00" in username:
            User().set_password(password)  # same cost as a real check
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and request is not None and getattr(self, "_expired_temporary", False):
            # The password was right but has expired: the login form says so
            # (accounts.forms.LoginForm) instead of "wrong ID or password".
            request.temporary_password_expired = True
        return user

    def user_can_authenticate(self, user):
        """Also refuses an expired temporary password, at login and for open sessions."""
        if not super().user_can_authenticate(user):
            return False
        if user.temporary_password_expired:
            self._expired_temporary = True
            return False
        return True

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("tenant", "tenant__access_rule").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
