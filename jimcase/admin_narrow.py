"""The admin as a narrow door: a list answers only the filters, orderings and searches it declares.

Django's admin is generic. Left alone, a list accepts a lookup on any field of its model, shown or not
(`?message__istartswith=l`), orders by any column index it is given and searches whatever
`search_fields` names; each is an oracle that reads hidden text one guess at a time. Every screen of
JIM's admin derives from `NarrowAdmin`, which allows only:

- the query parameters of its own `list_filter` and `date_hierarchy` (and `extra_lookups`, for the links
  our own pages build), with the suffixes each filter itself writes;
- an ordering (`?o=`) on a column it shows that declares one (`get_sortable_by`); a relation is not
  sortable (it would order by the other model's hidden fields) unless a display function declares the
  shown field it orders by;
- a search in the fields it shows (`tests` check `search_fields` against the columns);
- an action on a selection of valid ids.

Anything else is refused with 400 (`DisallowedModelAdminLookup`), never applied.
"""

import re

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminLookup, NotRegistered
from django.contrib.admin.filters import DateFieldListFilter, SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .admin_stale import StaleGuardAdmin

#: What a date hierarchy writes into the query string.
DATE_HIERARCHY_PARTS = ("year", "month", "day")
#: The values each part may take (the years: those of jimcase.validators' dates, with room to spare).
DATE_HIERARCHY_RANGES = {"year": (1900, 2999), "month": (1, 12), "day": (1, 31)}
_ORDER_PART = re.compile(r"^-?\d+$")
_DATE_VALUE = re.compile(r"(\d{4})-\d{2}-\d{2}")
_DATETIME_VALUE = re.compile(r"(\d{4})-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def filter_parameters(model, field_path, filter_class=None):
    """The query parameters that Django's list filter on `field_path` writes, and nothing more."""
    field = get_fields_from_path(model, field_path)[-1]
    params = {f"{field_path}__isnull"}
    if field.is_relation:
        params.add(f"{field_path}__{field.target_field.name}__exact")
    elif isinstance(field, models.DateField) or (
        filter_class is not None and issubclass(filter_class, DateFieldListFilter)
    ):
        params |= {f"{field_path}__gte", f"{field_path}__lt"}
    else:
        params.add(f"{field_path}__exact")
    return params


def declared_lookups(model_admin, request):
    """Every query parameter a list may be filtered by: its filters', its date hierarchy's, its links'."""
    allowed = set(model_admin.extra_lookups)
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            allowed.add(item.parameter_name)
        elif isinstance(item, (list, tuple)):
            allowed |= filter_parameters(model_admin.model, item[0], item[1])
        else:
            allowed |= filter_parameters(model_admin.model, item)
    if model_admin.date_hierarchy:
        allowed |= {f"{model_admin.date_hierarchy}__{part}" for part in DATE_HIERARCHY_PARTS}
    return allowed


def column_order_field(model_admin, column):
    """The field a shown column sorts by, or None: a plain field by itself, a function by what it declares."""
    if callable(column) or not isinstance(column, str):
        return getattr(column, "admin_order_field", None)
    try:
        field = model_admin.model._meta.get_field(column)
    except FieldDoesNotExist:
        attribute = getattr(model_admin, column, None) or getattr(model_admin.model, column, None)
        return getattr(attribute, "admin_order_field", None)
    # A relation would sort by the other model's ordering: fields this list does not show.
    return None if field.is_relation else column


class ChoiceListFilter(SimpleListFilter):
    """A list filter that takes one of its own choices only: anything else is a wrong parameter (Django
    answers it with its "?e=1" page), never a value handed to the database."""

    def value(self):
        value = super().value()
        if value is not None and value not in {str(key) for key, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(f"{self.parameter_name}={value!r} is not a choice")
        return value


class NarrowChangeList(ChangeList):
    """A change list that refuses an ordering on anything but a sortable column it shows."""

    def get_ordering(self, request, queryset):
        value = self.params.get(ORDER_VAR)
        if value:
            for part in value.split("."):
                if not _ORDER_PART.match(part):
                    raise DisallowedModelAdminLookup(f"Ordering by {part!r} not allowed")
                index = int(part.lstrip("-"))
                if index >= len(self.list_display) or self.list_display[index] not in self.sortable_by:
                    raise DisallowedModelAdminLookup(f"Ordering by column {index} not allowed")
        return super().get_ordering(request, queryset)


class NarrowAdmin(StaleGuardAdmin):
    """A ModelAdmin that allows only what it declares (see the module's docstring).

    Its change forms also refuse a save made on what someone else changed since (jimcase.admin_stale).
    """

    #: Query parameters our own pages put in links to this list, beyond its filters'.
    extra_lookups = ()

    def get_changelist(self, request, **kwargs):
        return NarrowChangeList

    def lookup_allowed(self, lookup, value, request):
        if lookup not in declared_lookups(self, request):
            return False
        if self.date_hierarchy and lookup.startswith(f"{self.date_hierarchy}__"):
            # Django turns these into dates itself: a year it cannot add one to is a server error.
            low, high = DATE_HIERARCHY_RANGES[lookup.rpartition("__")[2]]
            return value.isdigit() and low <= int(value) <= high
        if lookup.endswith(("__gte", "__lt")):
            # A date filter's bounds as Django's own links write them (a day; for a moment, the day's
            # start in its time zone), in a year that a date and its time zone can hold.
            field = get_fields_from_path(self.model, lookup.rpartition("__")[0])[-1]
            pattern = _DATETIME_VALUE if isinstance(field, models.DateTimeField) else _DATE_VALUE
            match = pattern.fullmatch(value)
            return match is not None and 1900 <= int(match[1]) <= 2999
        return True

    def get_sortable_by(self, request):
        return [
            column
            for column in self.get_list_display(request)
            if column_order_field(self, column) is not None
        ]

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        pk = self.model._meta.pk
        try:
            for value in selected:
                pk.to_python(value)
        except ValidationError:
            self.message_user(
                request, _("The selection could not be read. Nothing was changed."), messages.WARNING
            )
            return None
        return super().response_action(request, queryset)


class NarrowAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, only for a field that a screen declares in its `autocomplete_fields`.

    Without this it searches any registered model through any relation pointing at it, and answers
    each row's full name (`str()`), whatever the screens show.
    """

    def process_request(self, request):
        result = super().process_request(request)
        source_field = result[2]
        try:
            source_admin = self.admin_site.get_model_admin(source_field.model)
        except NotRegistered as error:
            raise PermissionDenied from error
        if source_field.name not in source_admin.get_autocomplete_fields(request):
            raise PermissionDenied
        return result
