from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PolishFirstLocaleMiddleware(LocaleMiddleware):
    """Polish unless the person chose another language with the switch (a cookie).

    The browser's Accept-Language is not followed: a city's site speaks the city's
    language first, and an English-speaking visitor finds the switch in the header.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
