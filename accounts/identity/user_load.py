"""The user of a request with their company's rules, in one query compiled once per process.

Every request of a logged-in session loads its user with the company, its
社外からのアクセス制限 and its ログインの設定 (``LoginIdBackend.get_user``). The
ORM compiles that four-table ``select_related`` anew each time, which cost
about as much CPU as the rest of a punch's own work (docs/performance.md,
"Instructions per request"). Here the ORM compiles it once per database and
process; each request runs the same SQL with its own primary key and builds
the objects with the ORM's own pieces (the compiler's converters,
``Model.from_db`` and the related populators), as ``ModelIterable`` does.
Same statement, same objects: ``accounts/identity/tests/test_user_load.py`` compares them with
the ORM's for every field and relation.

Django does not offer a compiled query as an API: this leans on the compiler's
``select``/``klass_info`` and ``get_related_populators`` of the pinned Django.
"""

from django.db import connections, router
from django.db.models.query import get_related_populators

from accounts.models import User

RELATED = ("tenant", "tenant__access_rule", "tenant__login_policy")
_compiled: dict[str, tuple] = {}  # database alias -> (sql, compiler, field range, init_list, populators)


def _compile(alias: str) -> tuple:
    queryset = User._default_manager.using(alias).select_related(*RELATED).filter(pk=0).order_by()  # as .get()
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    assert tuple(params) == (0,), "the primary key is the query's only parameter"
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    return sql, compiler, (start, end), init_list, get_related_populators(klass_info, select, alias)


def user_with_company(user_id) -> User | None:
    """The user (any state: the caller decides whether they may log in), or None."""
    try:
        pk = User._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a session holding something else than a user id has no user
        return None
    alias = router.db_for_read(User)
    if alias not in _compiled:
        _compiled[alias] = _compile(alias)
    sql, compiler, (start, end), init_list, populators = _compiled[alias]
    low, high = connections[alias].ops.integer_field_range(User._meta.pk.get_internal_type())
    if pk is None or not (low is None or low <= pk) or not (high is None or pk <= high):
        return None  # beyond the column's integers: no such user, as the ORM answers
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        rows = cursor.fetchall()
    if not rows:
        return None
    [row] = compiler.results_iter(results=[rows])
    user = User.from_db(alias, init_list, row[start:end])
    for populator in populators:
        populator.populate(row, user)
    return user
