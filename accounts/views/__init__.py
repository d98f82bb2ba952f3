"""Views: the user's pages — login wizard, setup, code step, account, security, sessions, history.

May import: people, login, activity, identity, sessions, mfa, audit, the base, ``kit``.
"""
