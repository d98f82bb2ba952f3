"""The product contract's check for pages without an id: shown to one
tenant, no page of a product contains the other tenant's objects.

Everything comes from the catalogue and the URLconf. A product's pages are
every URL under ``/<code>/`` that takes no argument, the links its pages
give (the persona's own objects, other months, form kinds), and the admin's
list and add pages of the product's models. Each page is fetched by each
viewer three times: with the other tenant's users only, with the other
tenant's demo data (the product's ``seed_demo``), and after that data is
deleted again. Two findings count as a leak:

- a **marker** of the other tenant in the page: its name, its users' login
  IDs and names, and for every row of the product's tenant-owned models
  (found by its ``tenant_path``) each free-text value, rewritten to a value
  found nowhere else, and the row's ``str()`` when the first fetch did not
  already contain it;
- a page that **changes with the other tenant's rows** (differs from both
  the fetch before and the fetch after them), which catches a leaking list
  that shows no text at all (months, times, counts).

Not covered here: pages reached only by a POST (a 確認画面), links of the
admin's pages (their filters and search: tests/security covers lookups and
autocomplete), and more than ``MAX_LINKS`` links per product.
"""

import itertools
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

from accounts.checks import iter_patterns
from accounts.models import User
from tests.helpers import session_full, session_limited
from catalog.tests.isolation import seed_products, tenant_models

_MARKS = itertools.count(1)
HREF = re.compile(r'href="([^"#]+)"')
CONVERTER = re.compile(r"<[^>]+>")
# What differs between two fetches of an unchanged page.
# What differs between two fetches of an unchanged page: per-response tokens
# (CSRF, once-per-form), the server's clock and the session's time left. A
# change of the shown minute between fetches is told apart by the third fetch.
VOLATILE = [
    re.compile(r'(<input type="hidden" name="[^"]*" value=")[^"]*'),
    re.compile(r'(name="csrf-token" content=")[^"]*'),
    re.compile(r'(nonce=")[^"]*'),
    re.compile(r'( datetime=")[^"]*'),
    re.compile(r'( data-[\w-]*(?:epoch|seconds)[\w-]*=")[^"]*'),
]
MAX_LINKS = 40  # links followed per product: enough for every kind of page, not every row


@dataclass
class Viewer:
    """A persona in one login mode, with its own browser."""
    label: str
    user: User
    limited: bool = False

    def __post_init__(self):
        self.client = Client()
        (session_limited if self.limited else session_full)(self.client, self.user)

    def get(self, path):
        response = self.client.get(path)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        return response.status_code, body


def rows_of(model, tenant):
    """The tenant's rows of ``model``, found by its tenant_path (not through for_tenant)."""
    path = model.tenant_path
    return model._default_manager.filter(**({"pk": tenant.pk} if path == "pk" else {path: tenant}))


def text_fields(model):
    return [f for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and not f.primary_key
            and (f.max_length is None or f.max_length >= 8)]


def mark_rows(tenant, product_models) -> None:
    """Give each free-text field of the tenant's rows a value found nowhere else."""
    for model in product_models:
        fields = text_fields(model)
        for pk in rows_of(model, tenant).values_list("pk", flat=True):
            if fields:
                rows_of(model, tenant).filter(pk=pk).update(**{f.attname: f"漏{next(_MARKS)}洩" for f in fields})


def markers(tenant, product_models) -> tuple[dict, dict]:
    """(company and user markers, row markers): text → what it stands for."""
    users = {tenant.name: "the company's name"}
    for login_id, name in User.objects.filter(tenant=tenant).values_list("login_id", "name"):
        users[login_id] = f"login ID of user {login_id}"
        if name:
            users[name] = f"name of user {login_id}"
    rows = {}
    for model in product_models:
        for obj in rows_of(model, tenant):
            label = f"{model._meta.label} #{obj.pk}"
            for field in text_fields(model):
                value = getattr(obj, field.attname)
                if value and len(value) >= 3:
                    rows[value] = f"{label} {field.name}"
            rows.setdefault(str(obj), label)
    return users, rows


def _shown(text, body) -> bool:
    return text in body or text in unescape(body)


def _normal(page):
    status, body = page
    for pattern in VOLATILE:
        body = pattern.sub(r"\1", body)
    return status, body


def product_routes(product) -> list[str]:
    """Every path under /<code>/ that takes no argument, and the admin's pages of the product's models."""
    prefix = f"{product.code}/"
    paths = ["/" + route for route, _callback in iter_patterns(get_resolver().url_patterns)
             if route.startswith(prefix) and not CONVERTER.search(route)]
    for model in admin.site._registry:
        if model._meta.app_label == product.app_label:
            base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            paths += [base, base + "add/"]
    return sorted(set(paths))


def product_links(product, pages: dict) -> list[str]:
    """The links the fetched pages give to other pages of the product (admin aside)."""
    found = set()
    for (_viewer, path), (status, body) in pages.items():
        if status != 200 or path.startswith("/admin/"):
            continue
        for href in HREF.findall(unescape(body)):
            link = urlsplit(href)
            if link.scheme or link.netloc:
                continue
            try:
                match = resolve(link.path)
            except Resolver404:
                continue
            if match.namespace == product.code:
                found.add(link.path + (f"?{link.query}" if link.query else ""))
    return sorted(found)[:MAX_LINKS]


def fetch(viewers, paths) -> dict:
    return {(viewer.label, path): viewer.get(path) for viewer in viewers for path in paths}


@dataclass
class PageCheck:
    leaks: list  # what a viewer of the first tenant saw of the other
    pages: int  # pages answered 200 to the first tenant's viewers
    own_rows_shown: int  # pages of the other tenant's viewers that show their own rows' markers
    own_pages_changed: int  # pages of the other tenant's viewers that change with their rows


def check_pages(product, *, viewers, other, other_users, other_viewers) -> PageCheck:
    """Seed ``other`` with the product's demo data and look for it on the viewers' pages.

    The viewers' own tenant is filled already; ``other`` has its users only.
    """
    product_models = tenant_models(product.app_label)
    everyone = [*viewers, *other_viewers]
    paths = product_routes(product)
    before = fetch(everyone, paths)
    links = [link for link in product_links(product, before) if link not in paths]
    before.update(fetch(everyone, links))
    paths += links

    seed_products(other, other_users, found=[product])
    mark_rows(other, product_models)
    user_marks, row_marks = markers(other, product_models)
    during = fetch(everyone, paths)
    for model in reversed(product_models):
        rows_of(model, other).delete()
    after = fetch(everyone, paths)

    # A str() shown before the rows existed tells nothing about them (a month, a kind…).
    seen_before = "\n".join(body for _status, body in before.values())
    row_marks = {text: what for text, what in row_marks.items() if not _shown(text, seen_before)}
    own = {viewer.label for viewer in viewers}
    leaks, pages, shown, changed = [], 0, 0, 0
    for (label, path), page in during.items():
        status, body = page
        moved = _normal(page) != _normal(before[label, path]) and _normal(page) != _normal(after[label, path])
        if label in own:
            pages += status == 200
            marks = {**user_marks, **row_marks}
            leaks += [f"{path} shown to {label}: {what} ({text})" for text, what in marks.items() if _shown(text, body)]
            if moved:
                leaks.append(f"{path} shown to {label} changes with the other tenant's rows")
        else:
            shown += any(_shown(text, body) for text in row_marks)
            changed += moved
    return PageCheck(leaks=leaks, pages=pages, own_rows_shown=shown, own_pages_changed=changed)
