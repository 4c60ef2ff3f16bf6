"""The JIM peer network: opt in, see the own organisation's coming meetings, say you will come."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import without_tokens
from mentors import services as mentor_services
from mentors.models import JimProfile, PeerMeeting
from triads import services
from triads.models import EndReason
from triads.tests.conftest import OUTCOME

PEERS = "/triads/mine/peers/"


def meeting_for(organisation, topic, days=7):
    return PeerMeeting.objects.create(
        organisation=organisation,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place="Buurthuis De Brug",
        topic=topic,
    )


def attend_url(meeting):
    return reverse("triads:jim_peer_attend", args=[meeting.pk])


@pytest.fixture
def profile(started_triad):
    """The JIM of a triad in its trial: a JIM reaches the peer network while a triad of theirs runs."""
    return started_triad.jim_profile


@pytest.fixture
def meetings(organisation, other_organisation):
    return {
        "own": meeting_for(organisation, "Grenzen stellen"),
        "past": meeting_for(organisation, "Vorige keer", days=-3),
        "elsewhere": meeting_for(other_organisation, "Bij een andere organisatie"),
    }


def test_not_opted_in_shows_no_meetings_but_an_invitation(login, profile, jim, meetings):
    body = without_tokens(login(jim).get(PEERS))
    assert "Grenzen stellen" not in body and "Buurthuis" not in body
    assert 'value="yes"' in body and "Ja, ik doe mee" in body


def test_opting_in_shows_only_the_own_organisations_coming_meetings(login, profile, jim, meetings):
    client = login(jim)
    response = client.post(reverse("triads:jim_peers_join"), {"answer": "yes"}, follow=True)
    profile.refresh_from_db()
    assert profile.peer_network_opt_in
    body = without_tokens(response)
    assert "Welkom in het JIM-netwerk!" in body
    assert "Grenzen stellen" in body and "Buurthuis De Brug" in body
    assert "Bij een andere organisatie" not in body and "Vorige keer" not in body


def test_attending_adds_the_jim_and_shows_a_count_without_names(
    login, profile, jim, meetings, organisation, other_triad
):
    mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim)
    fellow = JimProfile.objects.create(
        organisation=organisation, name="Karel Medejim", peer_network_opt_in=True
    )
    meetings["own"].attendees.add(fellow)
    client = login(jim)
    response = client.post(attend_url(meetings["own"]), {"answer": "yes"}, follow=True)
    assert set(meetings["own"].attendees.all()) == {fellow, profile}
    body = without_tokens(response)
    assert "2 JIM's komen" in body and "Je komt." in body
    assert "Karel Medejim" not in body
    assert other_triad.youth.first_name not in body  # nothing of anyone's triad


def test_the_jim_can_unsay_coming(login, profile, jim, meetings):
    mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim)
    mentor_services.peer_meeting_attend(meeting=meetings["own"], jim_profile=profile, by=jim)
    client = login(jim)
    body = client.get(PEERS).content.decode()
    assert "1 JIM komt" in body and "Ik kan toch niet komen" in body
    client.post(attend_url(meetings["own"]), {"answer": "no"})
    assert not meetings["own"].attendees.exists()


def test_attending_without_opting_in_adds_nobody(login, profile, jim, meetings):
    response = login(jim).post(attend_url(meetings["own"]), {"answer": "yes"}, follow=True)
    assert not meetings["own"].attendees.exists()
    assert "Doe eerst mee" in response.content.decode()


@pytest.mark.parametrize("which", ["past", "elsewhere"])
def test_a_past_or_other_organisations_meeting_cannot_be_attended(login, profile, jim, meetings, which):
    mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim)
    assert login(jim).post(attend_url(meetings[which]), {"answer": "yes"}).status_code == 404
    assert not meetings[which].attendees.exists()


def test_leaving_the_network_hides_the_meetings(login, profile, jim, meetings):
    mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim)
    client = login(jim)
    response = client.post(reverse("triads:jim_peers_join"), {"answer": "no"}, follow=True)
    profile.refresh_from_db()
    assert not profile.peer_network_opt_in
    assert "Grenzen stellen" not in without_tokens(response)


def test_a_bad_answer_changes_nothing(login, profile, jim, meetings):
    client = login(jim)
    client.post(reverse("triads:jim_peers_join"), {"answer": "<b>ja</b>"})
    profile.refresh_from_db()
    assert not profile.peer_network_opt_in


def test_leaving_the_peer_network_takes_the_jim_off_coming_meetings(found_search, jim):
    profile = found_search.jim_profile
    mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim)
    meeting = PeerMeeting.objects.create(
        organisation=profile.organisation,
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="Gent",
        topic="Grenzen stellen",
    )
    mentor_services.peer_meeting_attend(meeting=meeting, jim_profile=profile, by=jim)
    assert list(meeting.attendees.all()) == [profile]
    mentor_services.peer_network_opt(jim_profile=profile, on=False, by=jim)
    assert list(meeting.attendees.all()) == []


def test_an_ex_jim_loses_the_peer_network_with_their_last_triad(login, started_triad, lead, jim, meetings):
    mentor_services.peer_network_opt(jim_profile=started_triad.jim_profile, on=True, by=jim)
    client = login(jim)
    assert client.get(PEERS).status_code == 200
    services.triad_close(
        **OUTCOME,
        triad=started_triad,
        by=lead,
        reason=EndReason.GOAL_REACHED,
        after_plan="Zelfstandig verder.",
    )
    assert client.get(PEERS).status_code == 404
    assert client.post(reverse("triads:jim_peers_join"), {"answer": "yes"}).status_code == 404
    coming = meetings["own"]
    assert client.post(attend_url(coming), {"answer": "yes"}).status_code == 404
    assert not coming.attendees.exists()


def test_a_jim_with_only_a_draft_triad_does_not_reach_the_peer_network(login, triad, jim):
    assert login(jim).get(PEERS).status_code == 404


def test_an_alumnus_kept_on_purpose_stays_in_the_peer_network(login, started_triad, lead, jim):
    profile = started_triad.jim_profile
    services.triad_close(
        **OUTCOME,
        triad=started_triad,
        by=lead,
        reason=EndReason.GOAL_REACHED,
        after_plan="Zelfstandig verder.",
    )
    profile.peer_network_alumni = True
    profile.save(update_fields=["peer_network_alumni"])
    assert login(jim).get(PEERS).status_code == 200


def test_a_meeting_is_upcoming_from_its_start_on(organisation):
    """One rule for "still to come": the list, the attend page and leaving the network all use it."""
    now = timezone.now()
    started = PeerMeeting.objects.create(organisation=organisation, starts_at=now, place="Gent", topic="Nu")
    passed = PeerMeeting.objects.create(
        organisation=organisation, starts_at=now - datetime.timedelta(minutes=1), place="Gent", topic="Net"
    )
    assert list(PeerMeeting.objects.upcoming(now)) == [started]
    assert list(PeerMeeting.objects.upcoming(now - datetime.timedelta(minutes=1))) == [passed, started]


def test_the_service_refuses_to_add_a_jim_to_a_past_meeting(profile, jim, meetings):
    """Only the attend page checked that a meeting was still to come; the service now says it too."""
    mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim)
    with pytest.raises(ValidationError):
        mentor_services.peer_meeting_attend(meeting=meetings["past"], jim_profile=profile, by=jim)
    assert not meetings["past"].attendees.exists()
