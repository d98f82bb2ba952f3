"""Site-wide middleware of the project (no app's concern).

Japanese unless the user switched: the language comes from the footer's
switch (the ``django_language`` cookie set by ``set_language``), never from
the browser's Accept-Language, so an English-language phone still shows the
Japanese product its company uses."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageSwitchMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
