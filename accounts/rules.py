"""Who must log in with a second factor, and when wrong codes lock it (read-only)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def second_factor_required(user):
    """True if `user` may not work without a second factor.

    Admin accounts (coordinators, staff) always; a professional when their organisation says so;
    a JIM never has to (their page shows one triad), but may turn it on.
    """
    if user.is_admin_account:
        return True
    organisation = user.organisation
    return user.is_professional and organisation is not None and organisation.second_factor_for_professionals


#: What a logged-in user must do before anything else (kept in the session at login).
VERIFY, SET_UP, NOTHING = "verify", "set-up", ""


def second_factor_step(user):
    """VERIFY if `user` has a second factor, SET_UP if they must but have none, else NOTHING."""
    if user_has_device(user):
        return VERIFY
    if second_factor_required(user):
        return SET_UP
    return NOTHING


def second_factor_locked_until(device, now=None):
    """When `device` (an app or the recovery codes) takes codes again after wrong ones; None if it does now.

    From SECOND_FACTOR_FAILURE_LIMIT wrong codes in a row (django-otp counts them on the device; a right
    code resets the count), SECOND_FACTOR_LOCKOUT_MINUTES after the last one.
    """
    if device.throttling_failure_count < settings.SECOND_FACTOR_FAILURE_LIMIT:
        return None
    if device.throttling_failure_timestamp is None:
        return None
    until = device.throttling_failure_timestamp + datetime.timedelta(
        minutes=settings.SECOND_FACTOR_LOCKOUT_MINUTES
    )
    return until if (now or timezone.now()) < until else None


@dataclass(frozen=True)
class SecondFactorLocks:
    """Until when each kind of code is refused (None: taken now), and whether recovery codes are left."""

    app_until: datetime.datetime | None
    recovery_until: datetime.datetime | None
    recovery_codes_left: int


def second_factor_locks(user, now=None):
    """The locks on `user`'s app and recovery codes now (what the verify page tells them)."""
    now = now or timezone.now()
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return SecondFactorLocks(
        app_until=app and second_factor_locked_until(app, now),
        recovery_until=recovery and second_factor_locked_until(recovery, now),
        recovery_codes_left=recovery.token_set.count() if recovery else 0,
    )
