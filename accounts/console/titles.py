"""The console's page titles in natural Japanese.

Django's stock titles read 「変更する ユーザー を 選択」 and 「ユーザー を変更」 in
Japanese (an English sentence with the model's name put in). Every admin view of
the console passes through ``ConsoleSite.admin_view``, which hands its response
here: a list is 「ユーザー一覧」, an object's page 「ユーザーの変更」 (「…の詳細」 when
read-only, 「…の追加」 for a new one), for every model, products' included; the yes/no
icons' alt 「はい」「いいえ」 instead of Python's True/False."""

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
        elif context.get("has_change_permission"):
            title = gettext("%(name)sの変更")
        else:
            title = gettext("%(name)sの詳細")
        context["title"] = title % {"name": opts.verbose_name}
    return response


@admin.action(permissions=["delete"], description=gettext_lazy("選択した%(verbose_name_plural)sを削除"))
def delete_selected(modeladmin, request, queryset):
    """Django's 「選択された ユーザー の削除」, worded as a Japanese action."""
    return actions.delete_selected(modeladmin, request, queryset)
