"""Login throttling with django-axes: which attempts count, and against which limit.

A username is locked after `AXES_FAILURE_LIMIT` failed logins, from whatever address; a client address
after `LOGIN_FAILURE_LIMIT_PER_ADDRESS` failures, whatever the usernames (an office behind one address
types a password wrong now and then). The lock lifts after `AXES_COOLOFF_TIME`, or when a coordinator
unlocks the account (`services.login_unlock`).
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class LockoutBackend(AxesStandaloneBackend):
    """Refuse every login attempt of a locked username or address (the first backend; logs no one in)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            # Not a login over the web (the test client, a shell): there is no address to throttle.
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit for a client address than for a username."""

    def get_failures(self, request, credentials=None):
        # Axes compares one number with AXES_FAILURE_LIMIT. AXES_LOCKOUT_PARAMETERS is
        # ["username", "ip_address"], so the attempts come in that order; an address's failures are
        # expressed in the username's unit: LOGIN_FAILURE_LIMIT_PER_ADDRESS of them reach the limit.
        by_username, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scale = settings.AXES_FAILURE_LIMIT / settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        return max(by_username, by_address * scale)

    def reset_user_attempts(self, request, credentials=None):
        # A successful login forgives that username's failures only, not every failure of its address:
        # otherwise anyone with an account could wipe the count of an address guessing other passwords.
        by_username, _by_address = self.filter_user_attempts(request, credentials)
        count, _deleted = by_username.delete()
        return count


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind our reverse proxy the last X-Forwarded-For entry."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw; anything before it was written by the client.
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
