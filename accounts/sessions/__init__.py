"""Sessions and the gate: the login state of a session, lifetimes, ログイン中の端末,
the office-address rule and the middleware that apply them to every request.

May import: mfa, audit, the base, ``kit`` (like django-allauth's ``usersessions``).
"""
