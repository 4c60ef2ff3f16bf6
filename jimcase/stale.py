"""No lost updates on forms without an edit version: a fingerprint of what the form was opened on.

A record people edit in several fields carries an edit version (models.EditVersioned). Any other form
that edits something stored (the capacity judgement, the screening's checks, the admin's change forms)
carries `StoredState.token`: a fingerprint of the stored values it shows. The service compares it with
the record as stored now, under the row's lock (`stale_check`), and a save made on an older state is
refused with services.StaleEdit: the form then says who saved last and when, lists what is saved now
where it differs from the input, keeps the input and takes the new fingerprint (`StoredStateMixin`), so
saving again goes through — exactly as an edit version does.
"""

import dataclasses
import datetime
import decimal
import hashlib
import json

from django import forms
from django.db import models
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext_lazy as _


def canonical(value):
    """`value` as plain JSON data: a record by its key, a list sorted, a text without outer spaces."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        return sorted((canonical(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    return str(value)


def fingerprint(values):
    """A short, stable fingerprint of `values` (anything `canonical` reads)."""
    data = json.dumps(canonical(values), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def same(entered, stored):
    """Whether what a form holds equals what is stored (a record and its key, line endings alike)."""
    return canonical(entered) == canonical(stored)


@dataclasses.dataclass(frozen=True)
class StoredState:
    """What a form edits, as stored now: its fields' values, and who saved them last and when.

    `values` maps the form's field names to stored values; `labels` names a field where the form's own
    label is not enough (the screening's "Result" of each factor).
    """

    values: dict
    by: object = None
    at: datetime.datetime | None = None
    labels: dict = dataclasses.field(default_factory=dict)

    @property
    def token(self):
        return fingerprint(self.values)


def stale_check(*, opened, state):
    """Refuse (services.StaleEdit) a save made on a form opened on another state than `state`.

    `opened` is the token the form carried; None means no form (a seeder, another service): unchecked.
    Call inside the service's transaction, with the record's row locked.
    """
    from .services import StaleEdit  # services builds on this module's states

    if opened is not None and opened != state.token:
        raise StaleEdit(state)


def shown(field, value):
    """A stored value as the form's field would name it: a choice's label, yes or no, a local date."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        keys = canonical(value or [])
        return ", ".join(str(item) for item in field.queryset.filter(pk__in=keys)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        item = field.queryset.filter(pk=canonical(value)).first() if value not in (None, "") else None
        return str(item) if item is not None else "—"
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices if not isinstance(label, (list, tuple))}
        if str(canonical(value)) in labels:
            return str(labels[str(canonical(value))])
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def refusal_message(*, by, at, changes):
    """The refusal of a stale save (templates/jimcase/stale_edit.html): who, when, what differs."""
    return render_to_string("jimcase/stale_edit.html", {"by": by, "at": at, "changes": changes})


class StoredStateMixin(forms.Form):
    """Carry the fingerprint of what the form was opened on (`StoredState`); give the form `stored=`.

    The service refuses a save against another stored state (`stale_check`); `stale_edit_show` then
    shows what is saved now and takes its fingerprint, so the user's next save goes through.
    """

    OUT_OF_DATE = _("This form is out of date. Open the page again to see what is saved now.")

    # Not required here: a hidden field's own error would not show, so `clean` reports it on top.
    stored_state = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, stored, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["stored_state"] = stored.token

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("stored_state"):
            raise forms.ValidationError(self.OUT_OF_DATE, code="no_version")
        return cleaned

    @property
    def opened_state(self):
        """The token the form was opened with (for the service's `stale_check`)."""
        return self.cleaned_data["stored_state"]

    def stale_edit_show(self, current):
        """Refuse the save: say who saved what since, keep the user's input, take the current state."""
        data = self.data.copy()
        data[self.add_prefix("stored_state")] = current.token
        self.data = data
        changes = [
            (current.labels.get(name) or self.fields[name].label, shown(self.fields[name], value))
            for name, value in current.values.items()
            if name in self.fields and name in self.cleaned_data and not same(self.cleaned_data[name], value)
        ]
        message = refusal_message(by=current.by, at=current.at, changes=changes)
        self.add_error(None, forms.ValidationError(message, code="stale"))  # a rendered template: safe HTML


def capacity_state(youth):
    """The capacity judgement as stored (the capacity form's fields), with who recorded it and when."""
    return StoredState(
        values={"deemed_incapable": youth.deemed_incapable, "capacity_motivation": youth.capacity_motivation},
        by=youth.capacity_recorded_by,
        at=youth.capacity_recorded_at,
    )
