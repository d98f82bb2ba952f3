"""The console's changelists filter only by the lookups their own filters use.

Django's ``ModelAdmin.lookup_allowed`` accepts every lookup on a local
field of the model from the changelist's query string, so
``/admin/accounts/user/?password__startswith=argon2`` worked as an oracle:
the row was listed when the prefix matched, and an employee's whole
password hash could be read one character at a time (issue 15, finding 1).

``DeclaredLookupsOnlyMixin`` accepts exactly the parameters that the
admin's own filters produce:

- every ``list_filter`` entry (``get_list_filter(request)``, so per user:
  the operator's ``tenant`` filter): the parameters its filter class
  expects (``is_active__exact``, ``kind__exact``, ``tenant__id__exact``,
  ``created_at__gte``/``__lt``, a ``SimpleListFilter``'s ``parameter_name``,
  each with its ``__isnull`` where the filter offers one), and the bare
  ``<path>`` of an ``<path>__exact`` (the same query);
- the date hierarchy: ``<field>__year``, ``__month``, ``__day``;
- Django's own ``limit_choices_to`` lookups of raw-id popups.

Searching (``search_fields``) is the ``q`` parameter and sorting, paging and
facets are the changelist's own controls: Django never passes them to
``lookup_allowed``. Anything else raises Django's
``DisallowedModelAdminLookup`` (a ``SuspiciousOperation``): HTTP 400, logged
by Django on the ``django.security.DisallowedModelAdminLookup`` logger with
the path and user.

Every ModelAdmin on the site goes through it: ours inherit it through
``TenantScopedAdmin``; the ones other apps register (django-axes'
``AccessAttempt``/``AccessLog``/``AccessFailureLog`` admins and Django's
``GroupAdmin``, which operators reach) are re-registered with it by
``restrict_registered_admins`` (called from ``AccountsConfig.ready``), and
the system check ``accounts.E010`` fails on any ModelAdmin that is still
without it.
"""

from django.contrib import admin
from django.contrib.admin import FieldListFilter, ListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.core import checks
from django.db.models.constants import LOOKUP_SEP

DATE_HIERARCHY_PARTS = ("year", "month", "day")


def declared_lookups(model_admin, request) -> frozenset[str]:
    """The query parameters of ``model_admin``'s list filters and date hierarchy for ``request``."""
    allowed = set()
    for item in model_admin.get_list_filter(request):
        allowed.update(_filter_parameters(model_admin, request, item))
    # ``?kind=logout`` is the same query as the filter's ``?kind__exact=logout``.
    allowed.update(name.removesuffix(f"{LOOKUP_SEP}exact") for name in list(allowed))
    if model_admin.date_hierarchy:
        allowed.update(f"{model_admin.date_hierarchy}{LOOKUP_SEP}{part}" for part in DATE_HIERARCHY_PARTS)
    return frozenset(allowed)


def _filter_parameters(model_admin, request, item) -> list[str]:
    # Built as ChangeList.get_filters builds them, with no parameters given: the
    # filter classes themselves say what they read (expected_parameters), so a
    # filter class added later needs nothing here.
    model = model_admin.model
    if isinstance(item, type) and issubclass(item, ListFilter) and not issubclass(item, FieldListFilter):
        spec = item(request, {}, model, model_admin)
    else:
        if isinstance(item, (list, tuple)):
            field_path, filter_class = item
        else:
            field_path, filter_class = item, FieldListFilter.create
        field = get_fields_from_path(model, field_path)[-1]
        spec = filter_class(field, request, {}, model, model_admin, field_path=field_path)
    return list(spec.expected_parameters() or ())


class DeclaredLookupsOnlyMixin:
    """Only the lookups of ``list_filter`` and ``date_hierarchy``; everything else is a 400."""

    # Django 5.2's signature (``request`` optional until Django 6.0 makes it required).
    def lookup_allowed(self, lookup, value, request=None):
        if request is None:
            return False  # Django 5.2 always passes the request; without one, refuse
        cache = request.__dict__.setdefault("_netdekomon_declared_lookups", {})
        if id(self) not in cache:
            cache[id(self)] = declared_lookups(self, request)
        if lookup not in cache[id(self)] and not self._limit_choices_lookup(lookup, value):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _limit_choices_lookup(self, lookup, value) -> bool:
        """Django's own exception: the ``limit_choices_to`` of a raw-id popup's foreign key."""
        from django.contrib.admin import widgets

        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False


def restrict_registered_admins(site=None) -> list[str]:
    """Give every registered ModelAdmin that lacks it the restriction; returns their model labels.

    Why here and like this: django-axes (``axes/admin.py``) and
    ``django.contrib.auth`` (``GroupAdmin``) register their own ModelAdmins
    during the admin's autodiscovery; their classes are not ours to change
    and an operator reaches them (the axes attempt log holds login IDs, IP
    addresses and the posted form fields). Re-registering a subclass with the
    mixin first in its MRO keeps everything else of their admin as it was.
    Autodiscovery runs in ``django.contrib.admin``'s ``ready()``, the first
    installed app, so every admin module is imported when
    ``AccountsConfig.ready`` calls this.
    """
    site = site or admin.site
    restricted = []
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, DeclaredLookupsOnlyMixin):
            continue
        cls = type(model_admin)
        restricted_cls = type(f"DeclaredLookupsOnly{cls.__name__}", (DeclaredLookupsOnlyMixin, cls),
                              {"__module__": cls.__module__})
        site.unregister(model)
        site.register(model, restricted_cls)
        restricted.append(model._meta.label)
    return restricted


@checks.register(checks.Tags.admin)
def check_every_admin_restricts_lookups(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"{type(model_admin).__name__} ({model._meta.label}) accepts any changelist lookup.",
            hint="Inherit kit.admin_scoping.TenantScopedAdmin (or "
                 "kit.admin_lookups.DeclaredLookupsOnlyMixin), or register it before "
                 "AccountsConfig.ready() runs.",
            obj=type(model_admin), id="accounts.E010",
        )
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, DeclaredLookupsOnlyMixin)
    ]
