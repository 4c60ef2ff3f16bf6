"""Coordinators see a triad's status and dates in the admin, never the agreement text; they record overrides."""

import re

import pytest
from django.urls import reverse

from jimcase.tests.factories import YouthFactory
from jimcase.tests.html import without_tokens
from mentors.models import JimProfile, PeerMeeting
from triads.models import ConsentOverride, Triad
from triads.tests.conftest import sign_all

JUSTIFICATION = (
    "De vader weigert; dat nemen we mee in de hulpvraag. Lotte wil dit heel graag en de moeder steunt het."
)


def test_coordinator_sees_status_and_dates_but_not_the_agreement_text(login, coordinator, triad):
    client = login(coordinator)
    listing = client.get(reverse("admin:triads_triad_changelist")).content.decode()
    assert triad.youth.case_number in listing and "ontwerp" in listing
    detail = without_tokens(client.get(reverse("admin:triads_triad_change", args=[triad.pk])))
    assert triad.youth.case_number in detail
    agreement = triad.current_agreement
    for text in [agreement.meeting, agreement.confidentiality, agreement.jim_role]:
        assert text[:40] not in detail


def test_coordinator_of_another_organisation_does_not_see_the_triad(login, other_coordinator, triad):
    client = login(other_coordinator)
    assert triad.youth.case_number not in without_tokens(client.get(reverse("admin:triads_triad_changelist")))
    # Outside her organisation the triad does not exist for her: 404, as on every page (not the admin's
    # own redirect with a "does not exist" message).
    assert client.get(reverse("admin:triads_triad_change", args=[triad.pk])).status_code == 404


def test_coordinator_override_in_the_admin_lets_a_signed_triad_start(login, coordinator, lead, triad):
    sign_all(triad.current_agreement, lead)
    client = login(coordinator)
    response = client.post(
        reverse("admin:triads_consentoverride_add"), {"triad": triad.pk, "justification": JUSTIFICATION}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    override = ConsentOverride.objects.get(triad=triad)
    assert override.by == coordinator
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL


def test_a_short_override_justification_is_a_field_error_in_the_admin(login, coordinator, triad):
    response = login(coordinator).post(
        reverse("admin:triads_consentoverride_add"), {"triad": triad.pk, "justification": "ok"}
    )
    assert response.status_code == 200
    assert "Schrijf een verantwoording van minstens enkele zinnen." in response.content.decode()
    assert not ConsentOverride.objects.exists()


def test_another_organisations_coordinator_cannot_choose_the_triad(login, other_coordinator, triad):
    response = login(other_coordinator).post(
        reverse("admin:triads_consentoverride_add"), {"triad": triad.pk, "justification": JUSTIFICATION}
    )
    assert response.status_code == 200
    assert not ConsentOverride.objects.exists()


def test_a_professional_cannot_reach_the_override_screen(login, lead, triad):
    response = login(lead).get(reverse("admin:triads_consentoverride_add"))
    assert response.status_code == 302 and reverse("admin:login") in response.headers["Location"]


def test_the_found_search_page_hands_over_to_the_triad(login, lead, found_search):
    client = login(lead)
    html = client.get(reverse("mentors:search", args=[found_search.youth_id])).content.decode()
    url = reverse("triads:create", args=[found_search.youth_id, found_search.pk])
    assert url in html
    assert client.get(url).status_code == 200


def test_coordinator_plans_a_peer_meeting_for_their_own_organisation_only(
    login, coordinator, other_organisation
):
    client = login(coordinator)
    data = {
        "organisation": coordinator.organisation_id,
        "starts_at_0": "2027-01-20",
        "starts_at_1": "19:30",
        "place": "Gent, De Brug",
        "topic": "Grenzen bewaken als JIM",
    }
    response = client.post(reverse("admin:mentors_peermeeting_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PeerMeeting.objects.get().organisation_id == coordinator.organisation_id
    refused = client.post(
        reverse("admin:mentors_peermeeting_add"), {**data, "organisation": other_organisation.pk}
    )
    assert refused.status_code == 200
    assert PeerMeeting.objects.count() == 1


def _more_triads(n, organisation, fallback):
    """`n` triads of new youths and JIMs of `organisation`, each with a consent override (for query counts)."""
    for _i in range(n):
        youth = YouthFactory(organisation=organisation)
        jim = JimProfile.objects.create(organisation=organisation, name=f"JIM van {youth.first_name}")
        triad = Triad.objects.create(youth=youth, jim_profile=jim, fallback=fallback)
        ConsentOverride.objects.create(triad=triad, by=fallback, justification=JUSTIFICATION)


@pytest.mark.parametrize(
    ("changelist", "queries"),
    [("admin:triads_triad_changelist", 8), ("admin:triads_consentoverride_changelist", 9)],
)
def test_admin_triad_lists_query_count_is_constant(
    login, coordinator, organisation, lead, changelist, queries, django_assert_num_queries
):
    _more_triads(2, organisation, lead)
    client = login(coordinator)
    url = reverse(changelist)
    client.get(url)  # warm up: session, content types
    with django_assert_num_queries(queries, info="two triads"):
        client.get(url)
    _more_triads(15, organisation, lead)
    with django_assert_num_queries(queries, info="17 triads"):
        response = client.get(url)
    model = changelist.split(":")[1].removesuffix("_changelist").replace("_", "/")
    assert len(set(re.findall(rf'href="/admin/{model}/(\d+)/change/', response.content.decode()))) == 17
