"""Identity: who may log in and how a password is judged — login IDs, known
browsers, lockout, the authentication backend, the company-admin group and the
signals other apps fill (``tenant_created``, ``company_admin_permissions``).

May import: sessions, mfa, audit, the base, ``kit``.
"""
