"""Every way of logging in (the login page, the test client) starts the session the same way, and every
login, failure and lockout is logged. Connected in `accounts.apps.AccountsConfig.ready`."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed

from .lockout import client_ip
from .middleware import session_start
from .services import security_log


def on_login(sender, request, user, **kwargs):
    session_start(request, user)
    security_log("login", username=user.get_username(), ip=client_ip(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the username is logged.
    security_log(
        "login_failed",
        username=credentials.get("username"),
        ip=client_ip(request) if request is not None else None,
        level=logging.WARNING,
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    security_log("login_locked_out", username=username, ip=ip_address, level=logging.WARNING)


def connect():
    user_logged_in.connect(on_login, dispatch_uid="accounts.on_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.on_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.on_locked_out")
