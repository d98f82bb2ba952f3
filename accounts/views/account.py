"""Logout and password change."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts.identity import known_browsers
from accounts.people import services
from kit.access import Access, access
from accounts.login.security_forms import PasswordChangeForm
from .sessions import offer_sessions_page
from accounts.sessions.lifetime import LOGGED_OUT, end_session
from .verify import safe_next


@access(Access.PUBLIC, during_password_change=True)
class LogoutView(auth_views.LogoutView):
    """POST only. Ends the session completely, a half-finished login included
    (``logout()`` flushes the session whether or not the login finished); the
    login page then says 「ログアウトしました。」."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        end_session(request, LOGGED_OUT)
        return response


@access(Access.FULL, during_password_change=True)
class PasswordChangeView(auth_views.PasswordChangeView):
    """Only from a session verified with the code (FAQ ⑪): current password,
    Django's validators; the user's other sessions end and an e-mail tells them."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("portal:home")

    def form_invalid(self, form):
        form.record_denial(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        trusted = known_browsers.trusted(self.request, form.user)
        services.user_change_password(
            user=form.user, new_password=form.cleaned_data["new_password1"], request=self.request
        )
        known_browsers.renew(self.request, form.user, was_trusted=trusted)  # as this session is kept
        offer_sessions_page(self.request, _("パスワードを変更しました。ほかの端末のログインは終了しました。"))
        return redirect(safe_next(self.request, self.success_url))
