"""Helpers every app's views use to run a service for a form: once per form, errors beside the fields."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from . import services
from .selectors import submission_token_used

ALREADY_SENT = _("This form had already been sent; nothing was saved twice.")


def form_errors_from(form, error, field_for=None):
    """Put a service's ValidationError beside the fields it names (or on top of the form).

    `field_for(key)` maps a key the service used (e.g. a success factor) to the form field it is about.
    A stale edit (someone else saved since the form was loaded) is shown by the form itself.
    """
    if isinstance(error, services.StaleEdit):
        form.stale_edit_show(error.current)
    elif hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            name = field_for(key) if field_for else key
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit_once(request, form, action, *, field_for=None):
    """Run `action()` for a valid form, atomically and once per form token; return (result, done).

    A double submit (same token) creates nothing, counts as done and returns (None, True); a
    ValidationError from the service lands beside its field, nothing is saved, and (None, False)
    is returned. A form without a token (an edit that may be saved again) runs every time.
    """
    try:
        with transaction.atomic():
            services.submission_claim(token=form.cleaned_data.get("submission_token"), user=request.user)
            return action(), True
    except services.AlreadySubmitted:
        messages.info(request, ALREADY_SENT)
        return None, True
    except ValidationError as error:
        form_errors_from(form, error, field_for)
        return None, False


def sent_before(request):
    """True (with a message) when this POST carries a form token that was already used.

    For forms whose choices move on after the first submit: checked before validation, a second
    submit is then told it was done instead of seeing a confusing error.
    """
    if request.method != "POST":
        return False
    try:
        token = uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return False
    if submission_token_used(token):
        messages.info(request, ALREADY_SENT)
        return True
    return False


def next_path(request):
    """The form's `next` when it is a path on this site ("/…"), else "".

    `next` comes from the browser: anything else (`foo`, `//other.host`, `https://…`) is dropped, and
    it is never given to `redirect()`, which would try to read any other string as a URL name.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    same_site_path = target.startswith("/") and not target.startswith(("//", "/\\"))
    if same_site_path and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def redirect_to_next(request, *default):
    """Go back to the page named in the form's `next` when it is a path on this site, else to `default`
    (what `redirect()` takes: a URL name and its arguments)."""
    target = next_path(request)
    return HttpResponseRedirect(target) if target else redirect(*default)
