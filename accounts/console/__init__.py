"""Console: the manager console (``ConsoleSite``) and its admin pages for users,
imports, sessions and the office address rule.

May import: every other part of accounts (views included) and ``kit``; nothing imports it
except ``accounts.admin`` and ``accounts.apps``.
"""
