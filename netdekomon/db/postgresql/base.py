"""Django's PostgreSQL backend, with batches that fit server-side binding.

With server-side binding (the default here, docs/deployment.md) the
parameters travel in the protocol, which carries at most 65,535 of them per
statement; with client-side binding they were spliced into the SQL text and
had no such limit. Django's PostgreSQL operations set no batch size, so
deleting more than 65,535 objects (their cascades are collected with
``…__in=[every object]``) would fail. Here the batch size follows the
limit, as Django's own backends do for theirs (SQLite's 999, Oracle's).
"""

from django.db.backends.postgresql import base, operations

MAX_PARAMETERS = 65535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        if self.connection.settings_dict["OPTIONS"].get("server_side_binding"):
            return max(1, min(len(objs), MAX_PARAMETERS // max(1, len(fields))))
        return super().bulk_batch_size(fields, objs)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
