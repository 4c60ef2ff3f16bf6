"""Writes that keep accounts safe: unlocking, the second factor, password-reset limits; and their log.

Every event goes to the "jimcase.security" logger as `event key=value …` with the username and the
client address: never a password, a code or a secret.
"""

import hashlib
import logging
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ..models import AccountChange, PasswordResetRequest
from ..services import user_sessions_end

log = logging.getLogger("jimcase.security")

#: How many recovery codes a user gets at a time; each works once.
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


def security_log(event, *, username, ip, level=logging.INFO, **details):
    """Log one security event: what, who (username) and from where (client address)."""
    extra = "".join(f" {key}={value}" for key, value in details.items())
    log.log(level, "%s username=%s ip=%s%s", event, username or "-", ip or "-", extra)


# --- Lockout ------------------------------------------------------------------------------------


@transaction.atomic
def login_unlock(*, user, by):
    """Forget the failed logins of `user`'s username, so they can log in at once; return how many."""
    count = axes_reset(username=user.username)
    if count:
        AccountChange.objects.create(
            user=user,
            what=AccountChange.What.LOGIN_LOCK,
            before=ngettext("%(count)d failed attempt", "%(count)d failed attempts", count)
            % {"count": count},
            after=_("unlocked"),
            by=by,
        )
    security_log("login_unlocked", username=user.username, ip=None, by=by.username, attempts=count)
    return count


# --- Second factor ------------------------------------------------------------------------------


def authenticator_key_new():
    """A new secret for an authenticator app (hex, as django-otp stores it); kept in the session until confirmed."""
    return random_hex(20)


def authenticator_of(user, key):
    """An unsaved authenticator device for `user` with `key`: what the setup page shows as a QR code."""
    return TOTPDevice(user=user, key=key, name=AUTHENTICATOR)


@transaction.atomic
def second_factor_enable(*, user, key, code, ip=None):
    """Turn the second factor on with the authenticator app whose first `code` proves it holds `key`.

    Return the new recovery codes (shown to the user once). A wrong code changes nothing.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Your second factor is already on."))
    device = TOTPDevice.objects.create(user=user, key=key, name=AUTHENTICATOR, confirmed=True)
    if not device.verify_token(code):
        security_log("second_factor_setup_failed", username=user.username, ip=ip, level=logging.WARNING)
        # The exception rolls the new device back: nothing was turned on.
        raise ValidationError(
            {"code": _("This code is not right. Check the time on your phone and try again.")}
        )
    codes = recovery_codes_renew(user=user)
    AccountChange.objects.create(
        user=user, what=AccountChange.What.SECOND_FACTOR, before=_("off"), after=_("on"), by=user
    )
    security_log("second_factor_enabled", username=user.username, ip=ip)
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user, ip=None):
    """Give `user` a fresh set of single-use recovery codes (the old ones stop working); return them."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    security_log("recovery_codes_renewed", username=user.username, ip=ip)
    return codes


def second_factor_devices(user):
    """The user's confirmed authenticator and recovery-code devices."""
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def second_factor_check(*, user, code, ip=None):
    """Return the device that accepts `code` (an authenticator code or a recovery code), or None.

    Each device slows down after a wrong code (django-otp's throttling); a recovery code works once.
    """
    code = "".join(code.split()).lower()
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = kind.objects.select_for_update().filter(user=user, confirmed=True).first()
        verified = device is not None and device.verify_token(code)
    if not verified:
        security_log("second_factor_failed", username=user.username, ip=ip, level=logging.WARNING)
        return None
    if kind is StaticDevice:
        security_log(
            "second_factor_verified",
            username=user.username,
            ip=ip,
            method=RECOVERY,
            recovery_codes_left=device.token_set.count(),
        )
    else:
        security_log("second_factor_verified", username=user.username, ip=ip, method=AUTHENTICATOR)
    return device


@transaction.atomic
def second_factor_remove(*, user, by):
    """Turn `user`'s second factor off (a lost phone) and log them out everywhere.

    If their role needs one, they set up a new one at their next login.
    """
    deleted = second_factor_devices(user)
    for device in deleted:
        device.delete()
    if deleted:
        AccountChange.objects.create(
            user=user, what=AccountChange.What.SECOND_FACTOR, before=_("on"), after=_("off"), by=by
        )
    user_sessions_end(user=user)
    security_log("second_factor_removed", username=user.username, ip=None, by=by.username)
    return bool(deleted)


@transaction.atomic
def second_factor_install_for_demo(*, user, key, recovery_codes):
    """Give a demo account a known authenticator key and recovery codes (seed_demo; never in production)."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Known second-factor codes are for demo accounts only, never in production."
        )
    TOTPDevice.objects.update_or_create(
        user=user, name=AUTHENTICATOR, defaults={"key": key, "confirmed": True, "last_t": -1}
    )
    device, _created = StaticDevice.objects.update_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in recovery_codes)


# --- Password resets ----------------------------------------------------------------------------


def _digest(email):
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@transaction.atomic
def password_reset_claim(*, email, ip, usernames=()):
    """Record a password-reset request and return True, or return False if the hour's limit is reached.

    At most PASSWORD_RESET_LIMIT_PER_EMAIL mails an hour to one address, and
    PASSWORD_RESET_LIMIT_PER_ADDRESS requests an hour from one client address.
    """
    now = timezone.now()
    # Requests older than a day tell nothing any more.
    PasswordResetRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()
    recent = PasswordResetRequest.objects.filter(at__gte=now - timedelta(hours=1))
    digest = _digest(email)
    if (
        recent.filter(email_digest=digest).count() >= settings.PASSWORD_RESET_LIMIT_PER_EMAIL
        or recent.filter(ip_address=ip).count() >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    ):
        security_log(
            "password_reset_refused",
            username=",".join(usernames),
            ip=ip,
            level=logging.WARNING,
            reason="limit",
        )
        return False
    PasswordResetRequest.objects.create(email_digest=digest, ip_address=ip, at=now)
    security_log("password_reset_requested", username=",".join(usernames), ip=ip)
    return True
