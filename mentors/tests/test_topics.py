"""Who for what ("de gevoeligheid van de vraag"): the topics the youth would go to each person for."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from jimcase.tests.html import without_tokens
from mentors.models import DEFAULT_TOPICS, NetworkMember, Topic
from mentors.networkmap import network_map_svg

from . import factories
from .helpers import field_error

seeding = importlib.import_module("mentors.migrations.0010_default_topics")


def test_the_migration_seeds_the_defaults_once(db):
    Topic.objects.all().delete()
    seeding.seed(apps, None)
    seeding.seed(apps, None)
    assert sorted(Topic.objects.filter(organisation=None).values_list("name", flat=True)) == sorted(
        DEFAULT_TOPICS
    )
    assert seeding.DEFAULT_TOPICS == DEFAULT_TOPICS


def test_a_default_topic_is_shown_in_dutch(db):
    with translation.override("nl"):
        assert str(factories.topic("free time")) == "vrije tijd"
    with translation.override("en"):
        assert str(factories.topic("free time")) == "free time"


def test_the_member_form_offers_the_defaults_and_the_organisations_own(
    login, lead, youth, organisation, other_organisation
):
    school = factories.topic("school")
    own = factories.topic("Chiro", organisation)
    other = factories.topic("Scouts", other_organisation)
    html = login(lead).get(reverse("mentors:member_add", args=[youth.pk])).content.decode()
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*name="topics"[^>]*>', html)
    values = {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes}
    assert {school.pk, own.pk} <= values
    assert other.pk not in values
    assert ">school<" in html or "school" in html


def test_the_member_form_saves_the_topics(login, lead, youth, organisation):
    school, own = factories.topic("school"), factories.topic("Chiro", organisation)
    response = login(lead).post(
        reverse("mentors:member_add", args=[youth.pk]),
        {"name": "Tante Lies", "relation": "aunt_uncle", "closeness": "close", "topics": [school.pk, own.pk]},
    )
    assert response.status_code == 302
    member = NetworkMember.objects.get(name="Tante Lies")
    assert set(member.topics.all()) == {school, own}
    # Editing takes one away.
    response = login(lead).post(
        reverse("mentors:member_edit", args=[youth.pk, member.pk]),
        {
            "name": "Tante Lies",
            "relation": "aunt_uncle",
            "closeness": "close",
            "topics": [own.pk],
            "edit_version": member.edit_version,
        },
    )
    assert response.status_code == 302
    assert list(member.topics.all()) == [own]


def test_the_member_form_refuses_another_organisations_topic(login, lead, youth, other_organisation):
    other = factories.topic("Scouts", other_organisation)
    response = login(lead).post(
        reverse("mentors:member_add", args=[youth.pk]),
        {"name": "Jef", "relation": "coach", "closeness": "close", "topics": [other.pk]},
    )
    assert response.status_code == 200
    assert "geldige keuze" in field_error(response, "topics")
    assert not NetworkMember.objects.filter(name="Jef").exists()


def test_the_service_refuses_another_organisations_topic(lead, youth, other_organisation):
    other = factories.topic("Scouts", other_organisation)
    with pytest.raises(ValidationError) as exc:
        factories.member(youth, lead, "Jef", topics=[other])
    assert "topics" in exc.value.message_dict
    assert not NetworkMember.objects.filter(name="Jef").exists()


def test_the_network_page_filters_by_topic(login, lead, youth):
    school, money = factories.topic("school"), factories.topic("money")
    factories.member(youth, lead, "Meester Paul", topics=[school])
    factories.member(youth, lead, "Nonkel Geld", topics=[money])
    factories.member(youth, lead, "Buurvrouw Ria")
    client = login(lead)
    address = reverse("mentors:network", args=[youth.pk])
    html = client.get(address).content.decode()
    people = html[html.index("Mensen in het netwerk") :]
    assert all(name in people for name in ("Meester Paul", "Nonkel Geld", "Buurvrouw Ria"))
    assert f'<option value="{school.pk}">school</option>' in html
    html = client.get(address, {"topic": school.pk}).content.decode()
    people = html[html.index("Mensen in het netwerk") :]
    listed = people[: people.index("</ul>")]
    assert "Meester Paul" in listed
    assert "Nonkel Geld" not in listed and "Buurvrouw Ria" not in listed
    assert f'<option value="{school.pk}" selected>' in html
    # A topic nobody carries, or nonsense, shows everyone.
    for value in ("abc", "999999"):
        listed = without_tokens(client.get(address, {"topic": value}))
        assert "Buurvrouw Ria" in listed[listed.index("Mensen in het netwerk") :]


def test_the_map_shows_the_topics_on_hover_and_in_the_printed_legend(lead, youth):
    school, home = factories.topic("school"), factories.topic("home")
    factories.member(youth, lead, "Meester Paul", topics=[school])
    factories.member(youth, lead, "Oma Jeanne", topics=[school, home])
    with translation.override("nl"):
        members = list(NetworkMember.objects.filter(youth=youth).prefetch_related("topics"))
        svg = str(network_map_svg(youth=youth, members=members))
    titles = re.findall(r'<g class="member member-member"><title>(.*?)</title>', svg)
    assert any("Oma Jeanne" in t and "school" in t and "thuis" in t for t in titles)
    legend = re.findall(r'<text[^>]*class="legend-topic">(.*?)</text>', svg)
    assert "school: Meester Paul, Oma Jeanne" in legend
    assert "thuis: Oma Jeanne" in legend
    assert "Wie voor wat" in svg
    # The picture grows to hold the legend.
    assert 'viewBox="0 0 800 860"' in svg


def test_the_map_without_topics_has_no_topic_legend(lead, youth):
    factories.member(youth, lead, "Meester Paul")
    svg = str(network_map_svg(youth=youth, members=list(NetworkMember.objects.filter(youth=youth))))
    assert "legend-topics" not in svg
    assert 'viewBox="0 0 800 790"' in svg


def test_a_coordinator_adds_a_topic_for_her_own_organisation_only(login, coordinator, organisation):
    client = login(coordinator)
    address = reverse("admin:mentors_topic_add")
    html = client.get(address).content.decode()
    assert "---------" not in html.split('name="organisation"')[1].split("</select>")[0]
    response = client.post(address, {"organisation": organisation.pk, "name": "Jeugdbeweging"})
    assert response.status_code == 302
    assert Topic.objects.get(name="Jeugdbeweging").organisation == organisation
    # No default for everyone from a coordinator: the organisation is required.
    response = client.post(address, {"organisation": "", "name": "Voor iedereen"})
    assert response.status_code == 200
    assert not Topic.objects.filter(name="Voor iedereen").exists()


def test_a_coordinator_sees_only_her_organisations_topics(
    login, coordinator, organisation, other_organisation
):
    factories.topic("Chiro", organisation)
    other = factories.topic("Scouts", other_organisation)
    client = login(coordinator)
    html = without_tokens(client.get(reverse("admin:mentors_topic_changelist")))
    assert "Chiro" in html and "Scouts" not in html
    assert client.get(reverse("admin:mentors_topic_change", args=[other.pk])).status_code == 404
