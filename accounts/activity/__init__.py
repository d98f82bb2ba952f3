"""Activity: the recorded events in words — the console's texts and ログイン履歴.

May import: identity, sessions, mfa, audit, the base, ``kit`` (it names the limits
of login IDs and lockout, so it sits above identity).
"""
