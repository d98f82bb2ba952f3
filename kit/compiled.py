"""A hot query compiled once per process: the same SQL, each request's own values.

Django builds and compiles a queryset's SQL anew on every evaluation. On a
request that runs the same query with other values every time — the user
of a session, an employee's list of payslips — that is a large part of the
request's own work (docs/performance.md, "Instructions per request"). A
``CompiledQuery`` builds the queryset once per database with placeholder
values, keeps the compiler's SQL and the positions of those values among
its parameters, and on each call runs that SQL with the call's values and
builds the objects with the ORM's own pieces (the compiler's converters,
``Model.from_db``, the related populators, the annotations), as
``ModelIterable`` does. Same statement, same objects; the tests compare
them with the ORM's.

Use it for a query with a fixed shape on a hot path only::

    recent = CompiledQuery(lambda user, today: Payslip.objects.filter(user=user, paid_on__lte=today),
                           user=-2_000_000_001, today=datetime.date(1900, 1, 2))
    payslips = recent(user=request.user.pk, today=timezone.localdate())

Each placeholder must be a value equal to none of the query's constants and
no other placeholder (a large negative number, a date long past), and must
appear among the compiled parameters (an integer as is, a date as a date or, on SQLite, as
its ISO text); a call passes plain values (a primary key, not a model). The
query's other parameters (its constants) are kept as compiled.

Django does not offer a compiled query as an API: this leans on the
compiler's ``select``/``klass_info``/``annotation_col_map`` and
``get_related_populators`` of the pinned Django.
"""

from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], **placeholders: Any):
        self.build = build
        self.placeholders = placeholders
        self.model = build(**placeholders).model
        self._compiled: dict[str, tuple] = {}  # database alias -> what __call__ needs

    def __call__(self, **values: Any) -> list:
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        sql, slots, compiler, (start, end), init_list, populators, annotations = compiled
        params = [constant if name is None else str(values[name]) if as_text else values[name]
                  for name, as_text, constant in slots]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in compiler.results_iter(results=[rows]):
            obj = self.model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _compile(self, alias: str) -> tuple:
        queryset = self.build(**self.placeholders).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = [self._slot(param) for param in params]
        missing = set(self.placeholders) - {name for name, _, _ in slots}
        if missing:  # its value would be compiled in as a constant: refuse rather than answer wrong
            raise ValueError(f"Placeholders not found among the compiled parameters: {sorted(missing)}")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        annotations = list((compiler.annotation_col_map or {}).items())
        return sql, slots, compiler, (start, end), init_list, populators, annotations

    def _slot(self, param) -> tuple[str | None, bool, Any]:
        """Which placeholder a compiled parameter is and whether the database takes
        it as text, or (None, False, the constant) for the query's own constants."""
        for name, placeholder in self.placeholders.items():
            if param == placeholder and type(param) is type(placeholder):
                return name, False, None
            if isinstance(param, str) and not isinstance(placeholder, str) and param == str(placeholder):
                return name, True, None
        return None, False, param
