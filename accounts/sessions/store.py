"""The session store: Django's database store, with its one read per request sent as
prepared SQL instead of compiling the same ORM query on every request.

The same table, the same statement (the row of this key that has not expired), the same
encoding and the same answers as ``django.contrib.sessions.backends.db``; only the Python
work of building the query is saved (``docs/performance.md``, "Instructions per request").
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseStore):
    def _get_session_from_db(self):
        key = self.session_key  # None when the cookie held no valid key (Django's setter checks it)
        if key is None:
            return None
        model = self.model
        table = model._meta.db_table
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {quote('session_data')} FROM {quote(table)} "
                           f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                           [key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
