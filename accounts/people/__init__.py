"""People: the workflows on users and tenants (``services``), employee import,
export and apply, 退職 (offboarding), credentials slips and import previews.

May import: login, activity, identity, sessions, mfa, audit, the base, ``kit``.
"""
