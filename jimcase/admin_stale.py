"""No lost updates in the admin: a change form refuses a save made on what someone else has changed since.

Every change page carries a fingerprint (jimcase.stale) of what it shows of the object as stored when it
was opened: the form's fields (many-to-many choices such as a team's members or a person's roles
included) and each inline the page edits (a person's trainings). A save checks it against the object as
stored now, with the row locked; when they differ the save is refused with an error on top of the form
— who saved last and when (the object's `edited_by`/`edited_at`, else the admin's own log), and what is
saved now where it differs from the input — the input stays in the form and the page takes the new
fingerprint, so saving again goes through. `NarrowAdmin` (jimcase.admin_narrow) derives from this, so
every screen of JIM's admin does it.
"""

import time

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME

from .stale import StoredStateMixin, canonical, fingerprint, refusal_message, same, shown

#: The hidden field the change form carries (templates/admin/change_form.html).
FIELD = "_stored_state"
#: The fingerprint's part for the form itself; an inline's part is its formset prefix.
FORM_PART = "form"


def _field_value(form, name):
    """What the form shows for `name` as stored: a many-to-many only within the choices it offers."""
    field, value = form.fields[name], form[name].initial
    queryset = getattr(field, "queryset", None)
    if queryset is not None and isinstance(value, (list, tuple, set)):
        # A person's team groups are kept, not edited, on the person's page: only the roles count there.
        offered = set(queryset.filter(pk__in=canonical(value)).values_list("pk", flat=True))
        value = [item for item in canonical(value) if item in offered]
    return value


def form_values(form):
    """The stored values a change form shows, by field name."""
    return {name: _field_value(form, name) for name in form.fields}


def inline_rows(formset):
    """The stored rows an inline formset shows: each row's fields, by the row's key."""
    skip = {DELETION_FIELD_NAME, ORDERING_FIELD_NAME, formset.fk.name}
    return {
        str(form.instance.pk): {name: form[name].initial for name in form.fields if name not in skip}
        for form in formset.initial_forms
    }


def parse(token):
    """The parts of a posted fingerprint ({part: hash}) and when the page was opened (epoch seconds)."""
    parts, opened = {}, None
    for item in (token or "").split(";"):
        key, _sep, value = item.partition("=")
        if key == "t" and value.isdigit():
            opened = int(value)
        elif key and value:
            parts[key] = value
    return parts, opened


def token(parts):
    """The fingerprint a change page carries: its parts, and the moment it was opened."""
    return ";".join([f"t={int(time.time())}", *(f"{key}={value}" for key, value in sorted(parts.items()))])


class StaleGuardForm:
    """The admin's change form, refusing a save made on an older stored state (`StaleGuardAdmin`)."""

    #: (model admin, request), set on the class `get_form` makes for one request.
    stale_guard = None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and self.stale_guard is not None:
            model_admin, request = self.stale_guard
            model_admin.stale_guard_check(request, self)
        return cleaned


class StaleGuardAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change forms refuse a stale save (see the module's docstring)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or not change:
            return form
        return type(form)(form.__name__, (StaleGuardForm, form), {"stale_guard": (self, request)})

    def _edited_inlines(self, request, obj):
        """The inline formsets (unbound, as stored) of the inlines this page lets the user change."""
        for formset_class, inline in self.get_formsets_with_inlines(request, obj):
            if not (
                inline.has_change_permission(request, obj)
                or inline.has_add_permission(request, obj)
                or inline.has_delete_permission(request, obj)
            ):
                continue
            prefix = formset_class.get_default_prefix()
            yield inline, formset_class(instance=obj, prefix=prefix, queryset=inline.get_queryset(request))

    def stored_parts(self, request, form, formsets):
        """{part: fingerprint} of the form and the inline formsets (unbound, as stored)."""
        parts = {FORM_PART: fingerprint(form_values(form))}
        for _inline, formset in formsets:
            parts[formset.prefix] = fingerprint(inline_rows(formset))
        return parts

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            form = context["adminform"].form
            if form.is_bound:
                context["stale_token"] = getattr(form, "stale_token_now", None) or form.data.get(FIELD, "")
            else:
                # The page's own form and formsets show the object as stored: no second reading.
                formsets = [
                    (inline.opts, inline.formset)
                    for inline in context.get("inline_admin_formsets", [])
                    if inline.has_change_permission
                    or inline.has_add_permission
                    or inline.has_delete_permission
                ]
                context["stale_token"] = token(self.stored_parts(request, form, formsets))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def stale_guard_check(self, request, form):
        """Refuse (a ValidationError on top of `form`) a save made on another state than the stored one."""
        posted, opened = parse(form.data.get(FIELD))
        if not posted:
            raise ValidationError(StoredStateMixin.OUT_OF_DATE, code="no_version")
        model = self.model
        with transaction.atomic(using=router.db_for_write(model)):
            # Locked until the admin's own transaction ends: a concurrent save waits, then sees this one.
            list(model._default_manager.select_for_update().filter(pk=form.instance.pk).values_list("pk"))
        stored = self.get_object(request, str(form.instance.pk))
        fresh = self.get_form(request, stored, change=True)(instance=stored)
        formsets = list(self._edited_inlines(request, stored))
        now = self.stored_parts(request, fresh, formsets)
        if all(posted.get(key) == value for key, value in now.items()):
            return
        form.stale_token_now = token(now)
        raise ValidationError(self.stale_message(request, form, stored, fresh, formsets, posted, opened))

    def stale_message(self, request, form, stored, fresh, formsets, posted, opened):
        """The refusal: who saved last and when, and what is saved now where it differs from the input."""
        values = form_values(fresh)
        changes = [
            (fresh.fields[name].label or name, shown(fresh.fields[name], value))
            for name, value in values.items()
            if name in form.cleaned_data
            and not fresh.fields[name].disabled
            and not same(form.cleaned_data[name], value)
        ]
        for inline, formset in formsets:
            if posted.get(formset.prefix) != fingerprint(inline_rows(formset)):
                rows = "\n".join(str(row.instance) for row in formset.initial_forms) or "—"
                changes.append((inline.verbose_name_plural or formset.model._meta.verbose_name_plural, rows))
        by, at = self.last_saved(stored, opened)
        return refusal_message(by=by, at=at, changes=changes)

    def last_saved(self, obj, opened):
        """Who saved `obj` last and when: its own record of it, else the admin's log (if since `opened`)."""
        # Imported here: the admin site (and this module) loads before the apps' models.
        from django.contrib.admin.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        if getattr(obj, "edited_at", None) is not None:
            return obj.edited_by, obj.edited_at
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
            )
            .select_related("user")
            .order_by("-action_time", "-pk")
            .first()
        )
        if entry is None or (opened is not None and entry.action_time.timestamp() < opened - 1):
            return None, None  # saved elsewhere (the app, a service): "someone else"
        return entry.user, entry.action_time
