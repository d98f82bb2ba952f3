"""The test database: a transactional test ends in milliseconds, and commits do not wait for the disk.

Django's ``TransactionTestCase`` empties the database after each test with
``flush`` (on PostgreSQL one TRUNCATE, which gives every table and index new
files: 0.3–1.3 s on these machines) and then sends post_migrate, which makes
the content types, the permissions and the 会社管理者 group again. The browser
tests and the concurrency tests are transactional, so a run paid that about a
hundred times.

``empty_to_migrated`` reaches the same state another way: the rows migrate
left are read once per test database, before its first test; after each
transactional test every table's rows are deleted in one transaction (the
foreign keys Django creates are deferred to the commit) and those rows are
put back. A test that asks for ``serialized_rollback`` or ``available_apps``
keeps Django's own way.
"""

from django.apps import apps
from django.db import connections, transaction
from django.test import TransactionTestCase

_migrated_rows: dict[str, dict[str, tuple[list[str], list[tuple]]]] = {}


def _tables(connection) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def remember_migrated_rows(alias: str = "default") -> None:
    """Read the rows of every table as migrate (and post_migrate) left them."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in _tables(connection):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            found = cursor.fetchall()
            if found:
                rows[table] = ([column[0] for column in cursor.description], found)
    _migrated_rows[alias] = rows


def empty_to_migrated(alias: str = "default") -> None:
    """Every table back to the rows migrate left, in one transaction."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in _tables(connection):
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, (columns, rows) in _migrated_rows[alias].items():
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


_django_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown(self):
    aliases = self._databases_names(include_mirrors=False)
    if self.available_apps is not None or self.serialized_rollback or not set(aliases) <= set(_migrated_rows):
        return _django_teardown(self)
    for alias in aliases:
        empty_to_migrated(alias)


def commit_without_waiting_for_the_disk(alias: str = "default") -> None:
    """PostgreSQL's ``synchronous_commit = off`` for every connection to the test database.

    The browser tests and the concurrency tests commit thousands of times; the
    test database is thrown away after the run, so none of them needs to wait
    for the write-ahead log to reach the disk."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                       "SET synchronous_commit = off")
        cursor.execute("SET synchronous_commit = off")


def install() -> None:
    """Use ``empty_to_migrated`` for every transactional test of this process."""
    assert apps.ready
    TransactionTestCase._fixture_teardown = _fixture_teardown
