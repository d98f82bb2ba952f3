"""The user of a request with their company's rules, in one query compiled once per process.

Every request of a logged-in session loads its user with the company, its
社外からのアクセス制限 and its ログインの設定 (``LoginIdBackend.get_user``). The
ORM compiles that four-table ``select_related`` anew each time, which cost
about as much CPU as the rest of a punch's own work (docs/performance.md,
"Instructions per request"). Here the ORM compiles it once per database and
process (``kit.compiled``); each request runs the same SQL with its own
primary key and builds the objects with the ORM's own pieces.
Same statement, same objects: ``accounts/identity/tests/test_user_load.py`` compares them with
the ORM's for every field and relation.
"""

from django.db import connections, router

from accounts.models import User
from kit.compiled import CompiledQuery

RELATED = ("tenant", "tenant__access_rule", "tenant__login_policy")
_user = CompiledQuery(lambda pk: User._default_manager.select_related(*RELATED).filter(pk=pk).order_by(),  # as .get()
                      pk=-2_000_000_003)


def user_with_company(user_id) -> User | None:
    """The user (any state: the caller decides whether they may log in), or None."""
    try:
        pk = User._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a session holding something else than a user id has no user
        return None
    low, high = connections[router.db_for_read(User)].ops.integer_field_range(User._meta.pk.get_internal_type())
    if pk is None or not (low is None or low <= pk) or not (high is None or pk <= high):
        return None  # beyond the column's integers: no such user, as the ORM answers
    users = _user(pk=pk)
    return users[0] if users else None
