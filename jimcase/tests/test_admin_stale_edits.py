"""Two coordinators on the same admin page: the second, stale save is refused and can be re-applied (issue 21).

Every change form of the admin carries a fingerprint of what it was opened on (jimcase.admin_stale). The
generated test below runs two tabs on every registered screen that lets someone change a stored object;
a screen that can change and has no case here fails `test_every_changeable_admin_screen_has_a_two_tabs_case`.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jimcase.admin_stale import StaleGuardAdmin
from jimcase.models import Organisation, Role, Team, Training, User
from mentors.models import JimProfile, PeerMeeting, Topic

from .factories import UserFactory
from .stale import REFUSED, admin_opened, editor, form_data


@pytest.fixture
def second_coordinator(organisation):
    return UserFactory(
        username="coord.eva", display_name="Eva", organisation=organisation, role=Role.COORDINATOR
    )


@pytest.fixture
def root(organisation):
    return UserFactory(
        username="root", display_name="Root", organisation=organisation, is_staff=True, is_superuser=True
    )


@pytest.fixture
def root_two(organisation):
    return UserFactory(
        username="root2",
        display_name="Root Twee",
        organisation=organisation,
        is_staff=True,
        is_superuser=True,
    )


def _change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _objects(organisation, team_a, colleague, jim):
    """One stored object per changeable admin screen, with the two saves made on it and what shows the input."""
    profile = JimProfile.objects.create(organisation=organisation, user=jim, name="Wilma Janssens")
    meeting = PeerMeeting.objects.create(
        organisation=organisation,
        starts_at=timezone.now() + datetime.timedelta(days=20),
        place="Zaal 1",
        topic="Kennismaking",
    )
    topic = Topic.objects.create(organisation=organisation, name="Voetbal")
    group = Group.objects.create(name="Werkgroep")
    return {
        # (object, superuser only, first save, second save, what shows the second person's input)
        Organisation: (
            organisation,
            False,
            {"default_trial_days": "120"},
            {"name": "De Brug vzw"},
            'value="De Brug vzw"',
        ),
        Team: (team_a, False, {"name": "Team Noord"}, {"name": "Team Zuid"}, 'value="Team Zuid"'),
        User: (
            colleague,
            False,
            {"display_name": "Colleague Eerst"},
            {"phone": "0470 99 88 77"},
            'value="0470 99 88 77"',
        ),
        JimProfile: (profile, False, {"peer_network_alumni": "on"}, {}, 'name="peer_network_alumni"'),
        PeerMeeting: (
            meeting,
            False,
            {"place": "Zaal 2"},
            {"topic": "Grenzen stellen"},
            'value="Grenzen stellen"',
        ),
        Topic: (topic, False, {"name": "Sport"}, {"name": "Muziek"}, 'value="Muziek"'),
        Group: (group, True, {"name": "Werkgroep A"}, {"name": "Werkgroep B"}, 'value="Werkgroep B"'),
    }


def _changeable_screens(root_user):
    """The registered models whose admin screen may change a stored object (for a superuser)."""
    request = RequestFactory().get("/admin/")
    request.user = root_user
    return {
        model
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_change_permission(request)
    }


def test_every_changeable_admin_screen_has_a_two_tabs_case(organisation, team_a, colleague, jim, root):
    cases = _objects(organisation, team_a, colleague, jim)
    changeable = _changeable_screens(root)

    assert changeable == set(cases), "a screen that changes a stored object needs its two-tabs case here"
    for model in changeable:
        assert isinstance(admin.site._registry[model], StaleGuardAdmin), model


@pytest.mark.parametrize(
    "model", [Organisation, Team, User, JimProfile, PeerMeeting, Topic, Group], ids=lambda m: m.__name__
)
def test_a_stale_save_on_an_admin_screen_is_refused_keeps_the_input_and_can_be_re_applied(
    model, organisation, team_a, colleague, jim, coordinator, second_coordinator, root, root_two
):
    obj, superuser_only, first_change, second_change, kept = _objects(organisation, team_a, colleague, jim)[
        model
    ]
    first_user, second_user = (root, root_two) if superuser_only else (coordinator, second_coordinator)
    url = _change_url(obj)
    first, second = editor(first_user), editor(second_user)
    first_form, stale = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, first_form | first_change).status_code == 302
    after_first = model.objects.filter(pk=obj.pk).values().get()

    refused = second.post(url, stale | second_change)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page
    assert f"{first_user.display_name} heeft dit opgeslagen op" in page
    assert kept in page, "the second person's input is kept"
    assert model.objects.filter(pk=obj.pk).values().get() == after_first, "nothing was overwritten"

    again = second.post(url, form_data(refused) | first_change | second_change)

    assert again.status_code == 302, again.content.decode()[:3000]
    stored = model.objects.get(pk=obj.pk)
    for name, value in (first_change | second_change).items():
        assert str(getattr(stored, name)).replace("True", "on") == value, name


def test_a_trial_length_of_120_days_is_not_reverted_to_90_by_an_older_tab(
    organisation, coordinator, second_coordinator
):
    # Issue 21: the organisation's trial length, set to 120 days, went back to 90 from a tab opened before.
    organisation.default_trial_days = 90
    organisation.save()
    url = _change_url(organisation)
    first, second = editor(coordinator), editor(second_coordinator)
    first_form, stale = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, first_form | {"default_trial_days": "120"}).status_code == 302

    refused = second.post(url, stale | {"requires_criminal_record_extract": "on"})

    page = refused.content.decode()
    assert "Coordinator heeft dit opgeslagen op" in page and REFUSED in page
    assert "</dt><dd>120</dd>" in page, "what is saved now is shown"
    organisation.refresh_from_db()
    assert organisation.default_trial_days == 120


def test_a_stale_team_page_does_not_undo_a_change_of_its_members(
    team_a, lead, colleague, coordinator, second_coordinator
):
    url = _change_url(team_a)
    first, second = editor(coordinator), editor(second_coordinator)
    first_form, stale = form_data(first.get(url)), form_data(second.get(url))
    assert set(map(int, stale["members"])) == {lead.pk, colleague.pk}
    assert first.post(url, first_form | {"members": [str(lead.pk)]}).status_code == 302

    refused = second.post(url, stale | {"name": "Team Zuid"})

    page = refused.content.decode()
    assert REFUSED in page
    team = Team.objects.get(pk=team_a.pk)
    assert (team.name, set(team.members)) == ("Team A", {lead})


def test_a_stale_person_page_does_not_undo_a_training_recorded_on_it(
    colleague, coordinator, second_coordinator
):
    url = _change_url(colleague)
    first, second = editor(coordinator), editor(second_coordinator)
    first_form, stale = form_data(first.get(url)), form_data(second.get(url))
    training = {
        "trainings-TOTAL_FORMS": "1",
        "trainings-0-kind": Training.Kind.METHOD,
        "trainings-0-completed_on": "2025-03-14",
        "trainings-0-provider": "JIM-opleiders",
    }
    assert first.post(url, first_form | training).status_code == 302

    refused = second.post(url, stale | {"phone": "0470 99 88 77"})

    page = refused.content.decode()
    assert REFUSED in page and "JIM-opleidingen" in page
    colleague.refresh_from_db()
    assert (colleague.phone, Training.objects.filter(user=colleague).count()) == ("", 1)


def test_an_admin_change_form_without_its_fingerprint_is_refused_in_dutch_and_saves_nothing(
    organisation, coordinator
):
    url = _change_url(organisation)
    browser = editor(coordinator)
    data = form_data(browser.get(url))
    del data["_stored_state"]

    response = browser.post(url, data | {"default_trial_days": "120"})

    assert response.status_code == 200
    assert "Dit formulier is verouderd" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.default_trial_days != 120


def test_the_fingerprint_helper_reads_the_page(organisation, coordinator):
    browser = editor(coordinator)
    assert admin_opened(browser, _change_url(organisation))["_stored_state"].startswith("t=")
