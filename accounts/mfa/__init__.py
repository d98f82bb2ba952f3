"""Second factor: the TOTP device of a user and the daily ceiling on tried codes.

May import: the audit part, the base (``accounts.models``, ``policy``, ``hashers``), ``kit``.
Like django-allauth's ``mfa`` it builds on identity data, never on sessions, login or console.
"""
