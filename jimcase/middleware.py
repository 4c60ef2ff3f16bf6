from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control


class CookieLocaleMiddleware:
    """Activate the language chosen in the navigation bar, else Dutch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the product is
    Dutch by default for every user, whatever language their browser happens to be set to.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreForUsersMiddleware:
    """Every page a logged-in user gets is `Cache-Control: no-store, private`.

    Pages about a youth must never stay in a shared computer's browser cache or a proxy; rather than
    trusting each view to say so, every response to a logged-in user does (static files are served
    by whitenoise before this runs).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
