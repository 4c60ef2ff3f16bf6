"""Test helpers for the second factor (django-otp)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.rules import second_factor_required


def pass_second_factor(client, user):
    """Mark the logged-in `client`'s session as having passed the second factor (a recovery-code device)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def pass_second_factor_if_required(client, user):
    """What a person at the login page does next: the second factor, if their role needs one."""
    if second_factor_required(user):
        pass_second_factor(client, user)
    return client


def totp_code(device, at=None):
    """The code an authenticator app with `device`'s key shows now (or at unix time `at`)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"
