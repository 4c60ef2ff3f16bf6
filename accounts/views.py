"""The pages of the second factor, the lockout page and the password pages that log what they do."""

import datetime
import logging
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jimcase.web import form_errors_from, next_path

from . import forms as account_forms
from . import services
from .forms import CodeForm, EmailChangeForm
from .lockout import client_ip
from .middleware import SECOND_FACTOR_STEP
from .rules import VERIFY, second_factor_locks, second_factor_required

#: Session keys: the authenticator secret while it is being set up; new recovery codes until shown once.
SETUP_KEY, NEW_RECOVERY_CODES = "jim_second_factor_key", "jim_recovery_codes"


def _next_url(request):
    """Where to go once the second factor is done: `next` if it is a page of this site, else home."""
    return next_path(request) or reverse(settings.LOGIN_REDIRECT_URL)


def _redirect_keeping_next(name, request):
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def locked_out(request, original_response=None, credentials=None):
    """The login page after too many failures; the same whether or not the account exists (django-axes)."""
    message = _(
        "Logging in is blocked for now: there were too many failed attempts. Try again in %(minutes)d "
        "minutes, or ask your coordinator to unlock your account."
    ) % {"minutes": settings.AXES_COOLOFF_TIME.total_seconds() // 60}
    context = {"form": account_forms.LoginForm(request), "locked_out": message, "next": _next_url(request)}
    return render(request, "registration/login.html", context, status=429)


@require_GET
def second_factor(request):
    """Whether the user's second factor is on, with what to do next."""
    user = request.user
    return render(
        request,
        "accounts/second_factor.html",
        {
            "enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "required": second_factor_required(user),
            "recovery_codes_left": sum(d.token_set.count() for d in StaticDevice.objects.filter(user=user)),
        },
    )


def second_factor_setup(request):
    """Turn the second factor on: scan the QR code (or type the key), then type the first code."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:second_factor")
    key = request.session.get(SETUP_KEY)
    if key is None:
        key = request.session[SETUP_KEY] = services.authenticator_key_new()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.second_factor_enable(
                user=user, key=key, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            del request.session[SETUP_KEY]
            _second_factor_login(request, device)
            request.session[NEW_RECOVERY_CODES] = codes
            return _redirect_keeping_next("accounts:recovery_codes", request)
    device = services.authenticator_of(user, key)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "required": second_factor_required(user),
        # Drawn here, as an image in the page itself: the secret never leaves the server.
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, light="#fff"),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
    }
    return render(request, "accounts/second_factor_setup.html", context)


def _second_factor_login(request, device):
    """Mark the session as past the second factor, under a new key: one known before (fixed by someone
    else, seen on a shared computer) is not a verified session."""
    otp_login(request, device)
    request.session.cycle_key()


def _at(moment):
    """A lock's end as the user reads it: the local time, rounded up to the minute (the date if not today)."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    return date_format(local, "H:i" if local.date() == timezone.localdate() else "d-m-Y H:i")


def _locked_message(locks):
    """What the verify page says while wrong codes lock the app's codes or the recovery codes."""
    recovery_usable = locks.recovery_codes_left and not locks.recovery_until
    if locks.app_until and recovery_usable:
        return _(
            "Too many wrong codes in a row. Codes from your app are accepted again from %(time)s; until then "
            "you can log in with one of your recovery codes."
        ) % {"time": _at(locks.app_until)}
    if locks.app_until and locks.recovery_until:
        return _(
            "Too many wrong codes in a row. Codes from your app are accepted again from %(time)s, recovery "
            "codes from %(recovery_time)s."
        ) % {"time": _at(locks.app_until), "recovery_time": _at(locks.recovery_until)}
    if locks.app_until:
        return _("Too many wrong codes in a row. Codes from your app are accepted again from %(time)s.") % {
            "time": _at(locks.app_until)
        }
    if locks.recovery_until:
        return _(
            "Too many wrong recovery codes in a row. Recovery codes are accepted again from %(time)s; until "
            "then, use the code from your app."
        ) % {"time": _at(locks.recovery_until)}
    # The lock ended between the check and now.
    return _("This code is not right. Try again, or use one of your recovery codes.")


def second_factor_verify(request):
    """After the password: the code from the authenticator app, or a recovery code."""
    user = request.user
    if user.is_verified() or request.session.get(SECOND_FACTOR_STEP) != VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_check(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
            error = _("This code is not right. Try again, or use one of your recovery codes.")
        except services.SecondFactorLocked:
            # Also for the right code: say why it is refused, until when, and what works meanwhile.
            device, error = None, _locked_message(second_factor_locks(user))
        if device is None:
            form.add_error("code", error)
        else:
            _second_factor_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left. Make new ones on the page Second factor.",
                        "You used a recovery code; %(count)d are left. Make new ones on the page Second factor.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next_url(request)})


def recovery_codes(request):
    """Show new recovery codes once (GET), or make a new set (POST; the old codes stop working)."""
    user = request.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:second_factor_setup")
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES] = services.recovery_codes_renew(user=user, ip=client_ip(request))
        return _redirect_keeping_next("accounts:recovery_codes", request)
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with at most a few mails an hour per address and per client."""

    form_class = account_forms.PasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        usernames = [user.username for user in form.get_users(email)]
        if services.password_reset_claim(email=email, ip=client_ip(self.request), usernames=usernames):
            return super().form_valid(form)
        # The same page as when a mail went out: the requester learns nothing about accounts or limits.
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's "choose a new password" page. It logs no one in: the second factor is asked at login."""

    form_class = account_forms.SetPasswordForm
    post_reset_login = False

    def form_valid(self, form):
        services.security_log(
            "password_reset_done", username=self.user.get_username(), ip=client_ip(self.request)
        )
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; the user's other sessions end (their session hash no longer matches)."""

    form_class = account_forms.PasswordChangeForm

    def form_valid(self, form):
        services.security_log(
            "password_changed", username=self.request.user.get_username(), ip=client_ip(self.request)
        )
        return super().form_valid(form)


def email_change(request):
    """The person's own e-mail address: with their password, a link goes to the new address to confirm it."""
    user = request.user
    form = EmailChangeForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.email_change_request(
                    user=user, new_email=form.cleaned_data["email"], ip=client_ip(request)
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "We sent a link to %(email)s. Open it while logged in to JIM to start using that "
                        "address; until then JIM keeps writing to %(current)s."
                    )
                    % {"email": form.cleaned_data["email"], "current": user.email},
                )
                return redirect("accounts:email_change")
        elif "password" in form.errors:
            services.security_log(
                "email_change_wrong_password",
                username=user.username,
                ip=client_ip(request),
                level=logging.WARNING,
            )
    return render(request, "accounts/email_change.html", {"form": form, "days": services.EMAIL_CHANGE_DAYS})


def email_change_confirm(request, token):
    """The link from the mail: GET shows the new address, POST makes it the account's (same user only)."""
    try:
        new_email = services.email_change_link_check(user=request.user, token=token)
    except ValidationError as error:
        return render(request, "accounts/email_change_confirm.html", {"problem": " ".join(error.messages)})
    if request.method == "POST":
        try:
            services.email_change_confirm(user=request.user, token=token, ip=client_ip(request))
        except ValidationError as error:
            return render(
                request, "accounts/email_change_confirm.html", {"problem": " ".join(error.messages)}
            )
        messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": new_email})
        return redirect("accounts:email_change")
    return render(request, "accounts/email_change_confirm.html", {"new_email": new_email})
