"""Language choice: Simplified Chinese first for people, the request's language for the API."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages speak Simplified Chinese unless the person chose another language (the language cookie).

    A browser's Accept-Language says what its operating system was installed in, not what the service
    center works in, so pages ignore it. API clients do say what they want, so under /api/ the
    standard negotiation (cookie, then Accept-Language) applies.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/") or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return super().process_request(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None
