"""Helpers every app's views use to run a service for a form: once per form, errors beside the fields."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .selectors import submission_token_used

ALREADY_SENT = _("This form had already been sent; nothing was saved twice.")


def form_errors_from(form, error, field_for=None):
    """Put a service's ValidationError beside the fields it names (or on top of the form).

    `field_for(key)` maps a key the service used (e.g. a success factor) to the form field it is about.
    """
    if hasattr(error, "error_dict"):
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
