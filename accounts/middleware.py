"""What every request of a logged-in user passes: the session's time limits, then the second factor."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .lockout import client_ip
from .rules import NOTHING, SET_UP, VERIFY, second_factor_step
from .services import security_log

#: Session keys: when the user logged in, when they last did something (seconds since the epoch),
#: and what they must still do for the second factor (rules.VERIFY, SET_UP or NOTHING).
LOGIN_AT, LAST_SEEN, SECOND_FACTOR_STEP = "jim_login_at", "jim_last_seen", "jim_second_factor"
#: The last activity is written to the session at most this often, not on every request.
LAST_SEEN_PRECISION = 60


def session_start(request, user):
    """Note, in a fresh login's session, when it began and what the second factor still asks."""
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[SECOND_FACTOR_STEP] = second_factor_step(user)


class SessionTimeoutMiddleware:
    """Log out a user after SESSION_IDLE_TIMEOUT seconds without a request, or SESSION_COOKIE_AGE after login.

    The login page then says why. The last activity is kept in the session and rewritten at most once a
    minute, so most requests write nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at, last_seen = session.get(LOGIN_AT, now), session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                self._end(request, "session_idle_timeout")
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60},
                )
            elif now - login_at > settings.SESSION_COOKIE_AGE:
                self._end(request, "session_expired")
                messages.info(
                    request,
                    _("You were logged out %(hours)d hours after logging in. Please log in again.")
                    % {"hours": settings.SESSION_COOKIE_AGE // 3600},
                )
            elif now - last_seen >= LAST_SEEN_PRECISION or LOGIN_AT not in session:
                session.setdefault(LOGIN_AT, login_at)
                session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _end(request, event):
        security_log(event, username=request.user.get_username(), ip=client_ip(request))
        logout(request)


class SecondFactorMiddleware:
    """After the password, nothing but the second factor: verify it if the user has one, set it up if
    their role needs one.

    What is still asked is worked out once at login (`session_start`), so a request costs no query.
    """

    #: The page for each step, and the pages anyone may reach before it: logging out, the language.
    STEP_PAGES = {VERIFY: "accounts:second_factor_verify", SET_UP: "accounts:second_factor_setup"}
    OPEN = frozenset({"logout", "set_language", "healthz"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        step = request.session.get(SECOND_FACTOR_STEP)
        if step is None:
            # A session from before the second factor existed: work it out once.
            step = request.session[SECOND_FACTOR_STEP] = second_factor_step(user)
        if step == NOTHING:
            return None
        # Only the page of this step: someone who has a second factor cannot set up another instead.
        page = self.STEP_PAGES[step]
        if request.resolver_match.view_name in self.OPEN | {page}:
            return None
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
