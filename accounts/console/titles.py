"""The console's page titles in natural Japanese.

Django's stock titles read 「変更する ユーザー を 選択」 and 「ユーザー を変更」 in
Japanese (an English sentence with the model's name put in). Every admin view of
the console passes through ``ConsoleSite.admin_view``, which hands its response
here: a list is 「ユーザー一覧」, an object's page 「ユーザーの変更」 (「…の詳細」 when
read-only, 「…の追加」 for a new one), for every model, products' included; the yes/no
icons' alt 「はい」「いいえ」 instead of Python's True/False; a permission named as
「アカウント：回復コードの追加」, not as stored at migrate time (「Can add 回復コード」)."""

import re

from django.contrib import admin
from django.contrib.admin import actions
from django.utils.translation import gettext, gettext_lazy


# Django's yes/no icons say Python's True/False as their alt (a screen reader reads it in English).
BOOLEAN_ALT = re.compile(r'(icon-(?:yes|no|unknown)\.svg" alt=")(True|False|None)"')


def boolean_words(response):
    words = {"True": gettext("はい"), "False": gettext("いいえ"), "None": gettext("不明")}
    response.content = BOOLEAN_ALT.sub(lambda found: f'{found[1]}{words[found[2]]}"', response.content.decode())
    return response


def japanese_title(response):
    """The stock title of a list or an object's page replaced (the response is not rendered yet),
    and the yes/no icons' alt in Japanese once it is."""
    context = getattr(response, "context_data", None)
    if not context or "opts" not in context:
        return response
    response.add_post_render_callback(boolean_words)
    opts = context["opts"]
    if "cl" in context:
        context["title"] = gettext("%(name)s一覧") % {"name": opts.verbose_name_plural}
    elif "adminform" in context and "add" in context:
        if context["add"]:
            title = gettext("%(name)sの追加")
        elif context.get("has_change_permission") and not context.get("read_here"):  # kit/decisions.py
            title = gettext("%(name)sの変更")
        else:
            title = gettext("%(name)sの詳細")
        context["title"] = title % {"name": opts.verbose_name}
    return response


@admin.action(permissions=["delete"], description=gettext_lazy("選択した%(verbose_name_plural)sを削除"))
def delete_selected(modeladmin, request, queryset):
    """Django's 「選択された ユーザー の削除」, worded as a Japanese action."""
    return actions.delete_selected(modeladmin, request, queryset)


ACTIONS = {"add": gettext_lazy("%(name)sの追加"), "change": gettext_lazy("%(name)sの変更"),
           "delete": gettext_lazy("%(name)sの削除"), "view": gettext_lazy("%(name)sの閲覧")}


def permission_label(permission) -> str:
    """A permission in Japanese: its app and what it allows on which model (Django stores the
    name of its own four in English); a permission of the project's own keeps its name."""
    from django.apps import apps

    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    app = apps.get_app_config(content_type.app_label).verbose_name if model else content_type.app_label
    if model is None or action not in ACTIONS or permission.codename != f"{action}_{model._meta.model_name}":
        return f"{app}：{permission.name}"
    return f"{app}：" + ACTIONS[action] % {"name": model._meta.verbose_name}


class PermissionLabelsMixin:
    """For the admins that pick permissions (the operator's user page, 権限グループ)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model._meta.label == "auth.Permission":
            field.label_from_instance = permission_label
            field.queryset = field.queryset.select_related("content_type")
        return field
