"""Sessions and the gate: the login state of a session, lifetimes, ログイン中の端末,
the office-address rule, and the login gate: one ``LoginState`` per request
(``state``) and one middleware applying the guards in a declared order
(``gate``, ``guards``; LOGIN_GATE_GUARDS).

May import: mfa, audit, the base, ``kit`` (like django-allauth's ``usersessions``).
"""
