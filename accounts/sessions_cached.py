"""Sessions read from the shared cache and written through to the database
(``SESSION_ENGINE`` when ``REDIS_URL`` is set; Django's ``cached_db``).

The database stays the record: a session is found there when the cache has
lost it (Redis restarted, evicted). What changes from ``cached_db`` is what
happens when Redis does not answer: reading falls back to the database
instead of failing; a save that does not reach the cache removes the older
copy or, when Redis does not answer at all, is logged (no save of a session
ever takes away what it proves: a removed device or a changed password are
checked against the user's rows on every request); and deleting (logout, the
old key at a login) fails the request rather than end the session only in
the database while the cache still holds it.
"""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - the database answers instead
            cached_db.logger.warning("session cache unavailable, reading the database", exc_info=True)
            return self._load_from_db(store=False)
        if data is None:
            return self._load_from_db(store=True)
        return data

    def _load_from_db(self, *, store):
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        if store:
            try:
                self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
            except Exception:  # noqa: BLE001 - not stored: the next request reads the database again
                cached_db.logger.warning("session cache unavailable, session not cached", exc_info=True)
        return data

    def exists(self, session_key):
        return super(cached_db.SessionStore, self).exists(session_key)  # the database decides

    def save(self, must_create=False):
        super(cached_db.SessionStore, self).save(must_create)
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:  # noqa: BLE001
            try:
                self._cache.delete(self.cache_key)  # no older copy read instead
            except Exception:  # noqa: BLE001
                cached_db.logger.error("session cache unavailable, session saved to the database only",
                                       exc_info=True)

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        # The cached copy first: if Redis does not answer, the session is not
        # ended anywhere (the request fails) rather than only in the database.
        self._cache.delete(self.cache_key_prefix + session_key)
        super(cached_db.SessionStore, self).delete(session_key)
