import logging

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

from .models import AccessLog
from .registry import youth_of
from .services import access_log_write

logger = logging.getLogger(__name__)


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


class AccessLogMiddleware:
    """The one place the access log is written: every page about a youth that answered a logged-in user.

    Which youth a page is about comes from its address (each app tells, `settings.ACCESS_LOG_YOUTH_OF`).
    A refused request (404, a login redirect) wrote nothing; a POST that answered is a change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and request.user.is_authenticated and response.status_code < 400:
            youth_id = youth_of(match)
            if youth_id is not None:
                action = AccessLog.Action.CHANGE if request.method == "POST" else AccessLog.Action.VIEW
                access_log_write(youth_id=youth_id, user=request.user, page=match.view_name, action=action)
        return response


class UnreadableFormMiddleware:
    """Answer 400 with a short page to a POST whose form body cannot be read, or to a NUL in the address.

    A form body in another charset than UTF-8, or a broken multipart body, makes Django raise as soon
    as anything reads `request.POST`; its own error handling (the debug page, a 400 page that reads the
    POST again) could then turn it into a server error. Reading it once here, before the CSRF check
    and every view, answers such a request at once and leaves the rest of the code a readable POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 (reading it is the check)
            except (BadRequest, SuspiciousOperation, MultiPartParserError) as error:
                logger.warning("Unreadable form body on %s: %s", request.path, error)
                return HttpResponseBadRequest(render_to_string("400.html"))
        if has_nul(request.GET):
            # PostgreSQL refuses a NUL character in any text it is given (a search, a filter, an
            # autocomplete term): no page has a use for one in its address.
            logger.warning("NUL character in the query string of %s", request.path)
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)


def has_nul(query):
    """True when a key or value of the QueryDict `query` holds a NUL character."""
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
