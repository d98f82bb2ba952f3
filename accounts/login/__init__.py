"""Login: the forms of the login wizard, the code step, setup and the security page,
and the two-factor method that offers them.

May import: activity, identity, sessions, mfa, audit, the base, ``kit``.
"""
