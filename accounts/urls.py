from django.urls import path

from accounts.views import account, login, session, setup, verify

app_name = "accounts"
urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("verify/", verify.VerifyView.as_view(), name="verify"),
    path("setup/", setup.SetupView.as_view(), name="setup"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("session/extend/", session.extend, name="session_extend"),
]

from accounts.views import history, passkeys, passwordless, security, sessions  # noqa: E402

urlpatterns += [
    path("security/", security.security, name="security"),
    path("security/reset/", security.self_reset, name="self_reset"),
    path("login/passkey/", passwordless.passwordless, name="passwordless"),
    path("security/passkeys/new/", passkeys.passkey_add, name="passkey_add"),
    path("security/passkeys/<int:pk>/delete/", passkeys.passkey_remove, name="passkey_remove"),
    path("security/recovery-codes/", passkeys.recovery_codes, name="recovery_codes"),
    path("history/", history.history, name="history"),
    path("sessions/", sessions.sessions, name="sessions"),
    path("sessions/logout/", sessions.session_end, name="session_end"),
    path("sessions/logout-others/", sessions.sessions_end_others, name="sessions_end_others"),
]
