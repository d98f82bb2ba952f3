"""Identity: who may log in and how a password is judged — login IDs, known
browsers, lockout, the company-admin group and the
signals other apps fill (``tenant_created``, ``company_admin_permissions``).

May import: sessions, mfa, audit, the base, ``kit``. The authentication backend
built on them stays at ``accounts/backends.py``: its dotted path is stored in every
logged-in session, and moving it would log everybody out.
"""
