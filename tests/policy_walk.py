"""The policy matrix's expectations for the admin, and its walk over every URL pattern."""

import re

from django.contrib import admin
from django.test import RequestFactory
from django.urls import get_resolver, resolve

from kit.admin_scoping import TenantScopedAdmin
from accounts.checks import iter_patterns
from catalog.registry import products

DUMMY_ID = "987654"
PRODUCT_APP_LABELS = {p.app_label for p in products()}

# --- The admin ---------------------------------------------------------------
# What a company administrator may see in the admin, beyond the product apps'
# declared admin_permissions. Everything else answers 403 (404 for an app index).
COMPANY_ADMIN_VIEWS = {"accounts.user", "accounts.securityevent", "licensing.licence",
                       "sso.ssosettings"}  # シングルサインオン: their own company's (operators: 403)


def company_admin_views():
    declared = {f"{perm.split('.')[0]}.{perm.split('_', 1)[1]}" for p in products()
                for perm in p.admin_permissions if perm.split(".")[1].startswith(("view_", "change_"))}
    return COMPANY_ADMIN_VIEWS | declared


# Apps whose pages are the company's own, not an operator's (シングルサインオン): no app index for them.
COMPANY_ONLY_APPS = {"sso"}

ADMIN_CUSTOM = {  # custom admin views by URL name → outcome for staff allowed in
    "accounts_user_import_confirm": (302, "/admin/accounts/user/import/"),  # a GET: back to the upload
    "accounts_user_import_columns": (302, "/admin/accounts/user/import/"),  # 列の対応 is a POST; a GET: back to the upload
    "accounts_user_credentials": (405, None),  # POST only: made from the page that shows the passwords
    "sso_ssosettings_test": (302, "/admin/sso/ssosettings/"),  # 「接続テスト」 is a POST of that page
}


def admin_expected(name, path, user, world):
    if not user.is_staff:
        return (403, None)  # 「管理画面は会社の管理者のみ利用できます」, not a login form
    match = resolve(path)
    route = name.split(":", 1)[1]
    if route == "login":
        return (302, "/admin/")  # the admin has no login of its own; a verified administrator is in
    if route == "logout":
        return (405, None)  # POST only
    if route == "autocomplete":
        return (403, None)  # without its parameters
    if route == "view_on_site" or route.endswith("catch_all_view"):
        return (404, None)
    if route in ADMIN_CUSTOM:
        return ADMIN_CUSTOM[route]
    if route == "app_list":
        app_label = match.kwargs["app_label"]
        views = {label.split(".")[0] for label in company_admin_views()}
        if app_label in COMPANY_ONLY_APPS:
            return (404, None) if user.is_superuser else (200, None)
        return (200, None) if user.is_superuser or app_label in views else (404, None)
    model_url = re.match(r"^/admin/(\w+)/(\w+)/(?:([^/]+)/)?", path)
    registered = {f"{m._meta.app_label}.{m._meta.model_name}": a for m, a in admin.site._registry.items()}
    if model_url is None or ".".join(model_url.groups()[:2]) not in registered:
        return (200, None)  # index, jsi18n, password change
    app_label, model_name, object_id = model_url.groups()
    label = f"{app_label}.{model_name}"
    model_admin = registered[label]
    action = (match.url_name or "redirect").removeprefix(f"{app_label}_{model_name}_")
    if app_label in PRODUCT_APP_LABELS and not user.is_superuser and not world["licensed"]:
        return (404, None)
    foreign = object_id is not None and object_id == world["foreign"].get(label) and not user.is_superuser
    missing = object_id == DUMMY_ID
    scoped = isinstance(model_admin, TenantScopedAdmin)
    if action == "redirect":
        return (302, path + "change/")  # /admin/app/model/<id>/ → its change page
    if foreign or (missing and scoped):
        return (404, None)  # another tenant's object, or none: the same answer
    if action not in ("changelist", "add", "change", "history", "delete"):
        return (200, None)  # the model's own admin pages (2FA reset, temporary password…)
    request = RequestFactory().get(path)
    request.user = user
    may_view = model_admin.has_view_or_change_permission(request) if user.is_superuser \
        else label in company_admin_views()
    if action == "changelist":
        return (200, None) if may_view else (403, None)
    if action == "add":
        return (200, None) if model_admin.has_add_permission(request) else (403, None)
    if action == "delete":
        if not model_admin.has_delete_permission(request):
            return (403, None)
        return (302, "/admin/") if missing else (200, None)
    if action == "history" and missing:
        return (302, "/admin/")
    if not may_view:
        return (403, None)
    return (302, "/admin/") if missing else (200, None)



# --- Walking every pattern -----------------------------------------------------

def concrete_paths(route, objects, foreign):
    """Every request path for one URL pattern (admin app indexes: one per app)."""
    route = route.replace("^", "").replace("$", "")
    apps = re.search(r"\(\?P<app_label>([^)]*)\)", route)
    if apps:
        return ["/" + route.replace(apps.group(0), app) for app in apps.group(1).split("|")]
    route = re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", route)
    model = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
    if model:
        label = f"{model.group(1)}.{model.group(2)}"
        ids = [objects.get(label, DUMMY_ID), *([foreign[label]] if label in foreign else [])]
        return ["/" + route.replace("<path:object_id>", id_) for id_ in ids]
    route = re.sub(r"<int:year>", "2026", route)
    route = re.sub(r"<int:month>", "11", route)
    route = re.sub(r"<(?:slug|str):\w+>", f"no-such-{DUMMY_ID}", route)
    route = re.sub(r"<(?:int|path|uuid):\w+>", DUMMY_ID, route)
    assert "<" not in route and "(" not in route, route
    return ["/" + route]


def all_paths(world):
    paths = []
    for route, callback in iter_patterns(get_resolver().url_patterns):
        for path in concrete_paths(route, world["objects"], world["foreign"]):
            match = resolve(path)
            assert match.func is callback or getattr(match.func, "__wrapped__", None) is callback \
                or match.route == route.replace("^", "").replace("$", ""), (route, path)
            paths.append((path, match.view_name))
    return paths
