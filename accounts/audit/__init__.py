"""Audit: what happened, recorded once (security events, 職務分掌 records, throttles read from them).

May import: the base (``accounts.models``, ``event_kinds``, ``event_mails``, ``policy``, ``hashers``), ``kit``
and libraries.
Every part above records through ``events.record``; this part imports none of them.
"""
