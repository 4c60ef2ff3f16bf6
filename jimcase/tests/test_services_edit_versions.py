"""The edit version: a save made on an older version is refused, whole, with what is saved now (issue 11)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from guardian.shortcuts import get_perms

from jimcase import services
from jimcase.models import ParentGuardian, Youth
from mentors.services import search_start


def test_an_edit_on_the_loaded_version_moves_it_on_and_records_who_saved(youth, lead):
    services.youth_update(youth=youth, by=lead, edit_version=0, school_work="Atheneum")

    stored = Youth.objects.get(pk=youth.pk)
    assert (stored.school_work, stored.edit_version, stored.edited_by) == ("Atheneum", 1, lead)
    assert stored.edited_at is not None


def test_an_edit_on_an_older_version_is_refused_with_what_is_saved_now(youth, lead, colleague):
    services.youth_update(
        youth=Youth.objects.get(pk=youth.pk), by=lead, edit_version=0, school_work="Atheneum"
    )

    with pytest.raises(services.StaleEdit) as refused:
        services.youth_update(
            youth=Youth.objects.get(pk=youth.pk), by=colleague, edit_version=0, pronoun="hij"
        )

    assert isinstance(refused.value, ValidationError) and refused.value.code == "stale"
    current = refused.value.current
    assert (current.school_work, current.edit_version, current.edited_by) == ("Atheneum", 1, lead)
    stored = Youth.objects.get(pk=youth.pk)
    assert (stored.pronoun, stored.edit_version, stored.edited_by) == ("", 1, lead)


def test_the_refusal_is_in_dutch(youth, lead):
    services.youth_update(youth=youth, by=lead, edit_version=0, school_work="Atheneum")
    with translation.override("nl-be"), pytest.raises(services.StaleEdit) as refused:
        services.youth_update(youth=youth, by=lead, edit_version=0, school_work="Lyceum")
    assert "Jouw wijzigingen zijn nog niet opgeslagen" in refused.value.messages[0]


def test_a_refused_edit_shares_nothing_with_the_team(youth, lead, team_a):
    services.youth_update(youth=youth, by=lead, edit_version=0, school_work="Atheneum")

    with pytest.raises(services.StaleEdit):
        services.youth_update(youth=youth, by=lead, edit_version=0, shared_with_team=True)

    assert not Youth.objects.get(pk=youth.pk).shared_with_team
    assert get_perms(team_a.group, youth) == []


def test_a_save_without_a_form_still_moves_the_version_on(youth, lead):
    """Seeding and other services pass no version: an edit form opened before is stale afterwards."""
    services.youth_update(youth=youth, by=lead, school_work="Atheneum")

    assert Youth.objects.get(pk=youth.pk).edit_version == 1
    with pytest.raises(services.StaleEdit):
        services.youth_update(youth=youth, by=lead, edit_version=0, pronoun="hij")


def test_stage_and_capacity_changes_leave_an_open_edit_form_valid(youth, lead):
    """Only the saved edit of the form's own fields moves the version; the stage and capacity have their own pages."""
    search_start(youth=youth, by=lead)
    services.youth_capacity_record(youth=youth, by=lead, deemed_incapable=False, motivation="")

    services.youth_update(youth=Youth.objects.get(pk=youth.pk), by=lead, edit_version=0, pronoun="hij")

    assert Youth.objects.get(pk=youth.pk).edit_version == 1


def test_adding_a_parent_needs_no_version_and_a_stale_change_is_refused(youth, lead, colleague):
    parent = services.parent_save(parent=ParentGuardian(youth=youth, name="Els", relation="mother"), by=lead)
    assert (parent.edit_version, parent.edited_by) == (0, lead)
    services.parent_save(parent=_with(parent, phone="050 11 22 33"), by=lead, edit_version=0)

    with pytest.raises(services.StaleEdit) as refused:
        services.parent_save(parent=_with(parent, phone="0499 00 00 00"), by=colleague, edit_version=0)

    assert refused.value.current.phone == "050 11 22 33"
    assert ParentGuardian.objects.get(pk=parent.pk).phone == "050 11 22 33"


def _with(obj, **changes):
    """A fresh copy of `obj` from the database with `changes` applied, as a bound form makes it."""
    fresh = type(obj).objects.get(pk=obj.pk)
    for name, value in changes.items():
        setattr(fresh, name, value)
    return fresh
