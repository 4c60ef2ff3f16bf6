"""Writes that keep accounts safe: the record of every change to an account, the password link,
unlocking, the second factor, password-reset limits, the person's own e-mail address; and their log.

Every event goes to the "jimcase.security" logger as `event key=value …` with the username and the
client address: never a password, a code or a secret.
"""

import hashlib
import logging
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jimcase.models import Role, User
from jimcase.registry import account_link_refusal
from outbox import mails
from outbox.text import absolute_url

from . import emails
from .models import AccountChange, PasswordResetRequest
from .rules import second_factor_locked_until

log = logging.getLogger("jimcase.security")

#: How many recovery codes a user gets at a time; each works once.
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


def security_log(event, *, username, ip, level=logging.INFO, **details):
    """Log one security event: what, who (username) and from where (client address)."""
    extra = "".join(f" {key}={value}" for key, value in details.items())
    log.log(level, "%s username=%s ip=%s%s", event, username or "-", ip or "-", extra)


# --- The record of an account's changes, its sessions and the password link ---------------------


def account_snapshot(user):
    """What `account_changes_record` compares: roles, teams, organisation, active state and e-mail, as text."""
    if user is None:
        return dict.fromkeys(AccountChange.What.values, "")
    names = list(user.groups.values_list("name", "team__name").order_by("name"))
    return {
        AccountChange.What.ROLES: ", ".join(
            sorted(n for n, team in names if team is None and n in Role.values)
        ),
        AccountChange.What.TEAMS: ", ".join(sorted(team for _n, team in names if team is not None)),
        AccountChange.What.ORGANISATION: str(user.organisation or ""),
        AccountChange.What.ACTIVE: _("yes") if user.is_active else _("no"),
        AccountChange.What.EMAIL: user.email,
    }


@transaction.atomic
def account_changes_record(*, user, before, by):
    """Record each difference between `before` (a snapshot) and the account now; end its sessions if deactivated.

    When someone else changed the address of an account in use (a superuser: a coordinator cannot), the
    old address is told, so the person learns of it even if the new address is not theirs.
    """
    user.__dict__.pop("_role_names", None)
    after = account_snapshot(user)
    changes = [
        AccountChange.objects.create(user=user, what=what, before=before[what], after=after[what], by=by)
        for what in after
        if before.get(what) != after[what]
    ]
    old_email = before.get(AccountChange.What.EMAIL)
    if old_email and old_email != user.email and by != user and not user.invitation_open:
        emails.email_changed_notice(user=user, old_email=old_email, by=by)
    if not user.is_active:
        user_sessions_end(user=user)
    return changes


def user_sessions_end(*, user):
    """Log `user` out everywhere: delete every session that belongs to them."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@transaction.atomic
def password_link_send(*, user, by):
    """Queue a mail to `user` with a link to choose a password, and record it on their page.

    Only for an account that never chose a password (an invitation): whoever has one uses "forgot
    password" themselves, so a link never goes out on someone else's word to an address they set.
    """
    if user.has_usable_password():
        raise ValidationError(
            _(
                "This account already has a password: the person uses 'forgot password' on the login "
                "page themselves. Nothing was sent."
            )
        )
    if not user.email:
        raise ValidationError(_("This account has no e-mail address."))
    if refusal := account_link_refusal(user):
        raise ValidationError(refusal)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = absolute_url("password_reset_confirm", uidb64=uid, token=default_token_generator.make_token(user))
    mails.send("password_link", to=user.email, about=user, user=user, by=by, url=url)
    AccountChange.objects.create(
        user=user, what=AccountChange.What.PASSWORD_LINK, before="", after=user.email, by=by
    )


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


class SecondFactorLocked(Exception):
    """Too many wrong codes of this kind in a row: refused, whatever the code (rules.second_factor_locks)."""


def second_factor_check(*, user, code, ip=None):
    """Return the device that accepts `code` (an authenticator code or a recovery code), or None.

    Raise SecondFactorLocked while that kind of code is locked after too many wrong ones in a row
    (rules.second_factor_locked_until), also for the right code; a recovery code works once.
    """
    code = "".join(code.split()).lower()
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    method = AUTHENTICATOR if kind is TOTPDevice else RECOVERY
    with transaction.atomic():
        device = kind.objects.select_for_update().filter(user=user, confirmed=True).first()
        locked_until = device and second_factor_locked_until(device)
        # During the lock a code is not even tried: it neither counts nor extends the lock.
        verified = not locked_until and device is not None and device.verify_token(code)
        if not verified and not locked_until:
            security_log("second_factor_failed", username=user.username, ip=ip, level=logging.WARNING)
            # django-otp counted this wrong code on the device: it may be the one that locks it.
            locked_until = device and second_factor_locked_until(device)
        if verified:
            # A right code forgives the wrong ones of the other kind too.
            for other in second_factor_devices(user):
                if other.throttling_failure_count:
                    other.throttle_reset()
    if locked_until:
        security_log(
            "second_factor_throttled",
            username=user.username,
            ip=ip,
            level=logging.WARNING,
            method=method,
            failures=device.throttling_failure_count,
            until=timezone.localtime(locked_until).isoformat(timespec="seconds"),
        )
        raise SecondFactorLocked
    if not verified:
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


# --- The person's own e-mail address --------------------------------------------------------------

#: How long a link to confirm a new e-mail address works.
EMAIL_CHANGE_DAYS = 3
EMAIL_CHANGE_SALT = "jimcase.accounts.email_change"


def email_address_problem(user, email):
    """Why `user` cannot take `email` as their address (a message), or None.

    An address is one account's: the invitation of a JIM for a second youth finds the JIM's account by
    it (one person, one JIM account), and a password reset mails every account that has it.
    """
    if email.strip().lower() == (user.email or "").strip().lower():
        return _("This is already your e-mail address.")
    if User.objects.filter(email__iexact=email.strip()).exclude(pk=user.pk).exists():
        return _("Another account already uses this e-mail address. Choose another address.")
    return None


def _email_state(user):
    """What a confirmation link is bound to: the address, the password and the last change of address.

    Once the address changes (by this link, a newer one or an administrator) or the password does, every
    link sent before stops working: each works once, and changing the password stops one someone else
    asked for.
    """
    last = (
        AccountChange.objects.filter(user=user, what=AccountChange.What.EMAIL)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return salted_hmac(EMAIL_CHANGE_SALT, f"{user.pk}:{user.email}:{user.password}:{last}").hexdigest()[:32]


@transaction.atomic
def email_change_request(*, user, new_email, ip=None):
    """Mail a link to confirm `new_email` to that address and a notice to the current one; change nothing yet.

    The caller checked the user's password. Return the queued confirmation mail.
    """
    new_email = User.objects.normalize_email(new_email.strip())
    problem = email_address_problem(user, new_email)
    if problem:
        raise ValidationError({"email": problem})
    token = signing.dumps({"u": user.pk, "e": new_email, "s": _email_state(user)}, salt=EMAIL_CHANGE_SALT)
    url = absolute_url("accounts:email_change_confirm", token)
    mails = emails.email_change_confirm(user=user, new_email=new_email, url=url, days=EMAIL_CHANGE_DAYS)
    emails.email_change_notice(user=user, new_email=new_email)
    security_log("email_change_requested", username=user.username, ip=ip)
    return mails[0]


def email_change_link_check(*, user, token):
    """The new address a confirmation link carries for `user`, or ValidationError why it does not work."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=timedelta(days=EMAIL_CHANGE_DAYS))
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired. Ask for a new one on the page E-mail address."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This link is not valid. Copy the whole link from the e-mail."), code="invalid"
        ) from None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise ValidationError(
            _("This link is for another account. Log out and log in with the account it was sent for."),
            code="other_account",
        )
    if not constant_time_compare(str(data.get("s")), _email_state(user)):
        raise ValidationError(
            _("This link no longer works: it was used, a newer one was sent, or your password changed."),
            code="used",
        )
    problem = email_address_problem(user, data["e"])
    if problem:
        raise ValidationError(problem, code="taken")
    return data["e"]


@transaction.atomic
def email_change_confirm(*, user, token, ip=None):
    """Make the address a confirmation link carries `user`'s address, and record the change; return it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    new_email = email_change_link_check(user=user, token=token)
    before = user.email
    user.email = new_email
    user.save(update_fields=["email"])
    AccountChange.objects.create(
        user=user, what=AccountChange.What.EMAIL, before=before, after=new_email, by=user
    )
    security_log("email_changed", username=user.username, ip=ip)
    return new_email
