from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kit.access import Access, declare_patterns
from catalog.registry import products

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("sso/", include("sso.urls")),  # シングルサインオン (SAML 2.0)
    *declare_patterns(Access.PUBLIC, [path("i18n/setlang/", set_language, name="set_language")]),
    # The admin (company manager console) needs a session verified with the code.
    path("admin/", declare_patterns(Access.FULL, admin.site.urls)),
]

# Each installed product app is mounted under its code: /<code>/…
urlpatterns += [
    path(f"{product.code}/", include(f"{product.app_label}.urls")) for product in products()
]

# The site's error pages (netdekomon/errors.py), in the layout and Japanese by default.
handler400 = "netdekomon.errors.bad_request"
handler403 = "netdekomon.errors.permission_denied"
handler404 = "netdekomon.errors.page_not_found"
handler500 = "netdekomon.errors.server_error"
