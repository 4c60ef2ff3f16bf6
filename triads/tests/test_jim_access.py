"""Who reaches the JIM's pages: only the triad's own JIM, only while the triad lives."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import without_tokens
from mentors import services as mentor_services
from mentors.models import PeerMeeting
from triads import services
from triads.models import FallbackRequest, JimLogEntry
from triads.selectors import triads_of_mentor
from triads.tests.conftest import OUTCOME, make_found_search, sign_all
from triads.tests.triad_pages import professional_urls

OTHERS = ["lead", "colleague", "stranger", "other_jim", "coordinator", "other_coordinator"]


@pytest.fixture
def entry(triad, jim):
    # Written straight to the table: a draft triad's JIM has no log yet (issue 21), yet every page must
    # refuse such an entry to everyone but its JIM all the same.
    return JimLogEntry.objects.create(
        triad=triad, author=jim, happened_on=timezone.localdate(), kind="met", text="Privé."
    )


@pytest.fixture
def meeting(organisation, triad, jim):
    mentor_services.peer_network_opt(jim_profile=triad.jim_profile, on=True, by=jim)
    return PeerMeeting.objects.create(
        organisation=organisation,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        place="Buurthuis",
        topic="Luisteren",
    )


def triad_urls(triad, entry):
    """Every JIM page of one triad, with a POST that would write if it were let through."""
    today = timezone.localdate().isoformat()
    return [
        ("get", reverse("triads:jim_triad", args=[triad.pk]), None),
        (
            "post",
            reverse("triads:jim_triad", args=[triad.pk]),
            {"typed_name": "Iemand Anders", "agree": "on"},
        ),
        ("get", reverse("triads:jim_ask", args=[triad.pk]), None),
        ("post", reverse("triads:jim_ask", args=[triad.pk]), {"message": "Hallo"}),
        ("get", reverse("triads:jim_log", args=[triad.pk]), None),
        ("post", reverse("triads:jim_log", args=[triad.pk]), {"kind": "met", "happened_on": today}),
        ("get", reverse("triads:jim_log_share", args=[triad.pk, entry.pk]), None),
        ("post", reverse("triads:jim_log_share", args=[triad.pk, entry.pk]), {"youth_agrees": "on"}),
    ]


def nothing_written(triad, entry):
    entry.refresh_from_db()
    triad.refresh_from_db()
    assert entry.shared_at is None
    assert JimLogEntry.objects.count() == 1
    assert not FallbackRequest.objects.exists()
    assert not triad.current_agreement.signatures.exists()


@pytest.mark.parametrize("member", OTHERS)
def test_everyone_but_the_jim_gets_404_on_the_jims_triad_pages(
    cast, login, triad, entry, member, other_triad
):
    client = login(cast[member])
    for method, url, data in triad_urls(triad, entry):
        assert getattr(client, method)(url, data).status_code == 404, (member, method, url)
    nothing_written(triad, entry)


@pytest.mark.parametrize("member", ["lead", "colleague", "stranger", "coordinator", "other_coordinator"])
def test_professionals_and_coordinators_get_404_on_the_peer_network(cast, login, meeting, member):
    client = login(cast[member])
    assert client.get("/triads/mine/").status_code == 404
    assert client.get(reverse("triads:jim_peers")).status_code == 404
    assert client.post(reverse("triads:jim_peers_join"), {"answer": "yes"}).status_code == 404
    assert (
        client.post(reverse("triads:jim_peer_attend", args=[meeting.pk]), {"answer": "yes"}).status_code
        == 404
    )
    assert not meeting.attendees.exists()


def test_another_organisations_jim_cannot_come_to_the_meeting(login, meeting, other_jim, other_triad):
    other_triad.jim_profile.peer_network_alumni = True  # in their own organisation's network
    other_triad.jim_profile.save(update_fields=["peer_network_alumni"])
    mentor_services.peer_network_opt(jim_profile=other_triad.jim_profile, on=True, by=other_jim)
    client = login(other_jim)
    body = without_tokens(client.get(reverse("triads:jim_peers")))
    assert "Luisteren" not in body
    assert (
        client.post(reverse("triads:jim_peer_attend", args=[meeting.pk]), {"answer": "yes"}).status_code
        == 404
    )
    assert not meeting.attendees.exists()


def test_a_jim_without_a_profile_gets_404_on_the_peer_network(login, jim):
    assert login(jim).get(reverse("triads:jim_peers")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, triad, entry, meeting):
    urls = [(m, u, d) for m, u, d in triad_urls(triad, entry)] + [
        ("get", "/triads/mine/", None),
        ("get", reverse("triads:jim_peers"), None),
        ("post", reverse("triads:jim_peers_join"), {"answer": "yes"}),
        ("post", reverse("triads:jim_peer_attend", args=[meeting.pk]), {"answer": "yes"}),
    ]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    nothing_written(triad, entry)
    assert not meeting.attendees.exists()


def test_a_closed_triad_is_gone_for_its_jim(login, started_triad, entry, jim, lead):
    services.triad_close(
        **OUTCOME,
        triad=started_triad,
        by=lead,
        reason="goal_reached",
        after_plan="Lotte gaat verder met haar tante.",
    )
    client = login(jim)
    for method, url, data in triad_urls(started_triad, entry):
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    assert JimLogEntry.objects.count() == 1 and entry.shared_at is None
    assert not FallbackRequest.objects.exists()
    # Only the farewell is left: thanks, no link to the triad (issue 14).
    mine = without_tokens(client.get("/triads/mine/"))
    assert "Bedankt dat je de JIM van Lotte was" in mine
    assert f"/triads/mine/{started_triad.pk}/" not in mine


def test_the_jim_gets_404_on_another_jims_triad_and_on_the_case(login, triad, jim, other_triad):
    client = login(jim)
    other_entry = JimLogEntry.objects.create(
        triad=other_triad,
        author=other_triad.jim_profile.user,
        happened_on=timezone.localdate(),
        text="Niet voor jou.",
    )
    for method, url, data in triad_urls(other_triad, other_entry):
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    youth = triad.youth_id
    for url in (
        "/youths/caseload/",
        f"/youths/{youth}/",
        f"/youths/{youth}/edit/",
        f"/youths/{youth}/notes/add/",
        reverse("mentors:network", args=[youth]),
        reverse("mentors:network_map", args=[youth]),
        reverse("mentors:search", args=[youth]),
    ):
        assert client.get(url).status_code == 404, url
    for method, url in professional_urls(triad):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_jims_entry_of_another_triad_is_not_reachable_through_their_own_triad(
    login, started_triad, jim, lead, make_youth
):
    """An entry id from one triad cannot be shared through the URL of another (the pair must match)."""
    triad = started_triad
    # An adult: no parental consent needed, so the trial starts once everyone signed.
    (second,) = make_youth(first_name="Bram", date_of_birth=datetime.date(2000, 5, 1))
    search = make_found_search(second, lead, name="Wilma Janssens", email="w2@example.org")
    search.jim_profile = triad.jim_profile
    search.save()
    other = services.triad_create(search=search, by=lead)
    sign_all(other.current_agreement, lead)
    other.refresh_from_db()
    assert other.is_running
    entry = services.jim_log_add(triad=other, by=jim, happened_on=timezone.localdate(), kind="met")
    client = login(jim)
    assert client.get(reverse("triads:jim_log_share", args=[triad.pk, entry.pk])).status_code == 404
    assert client.get(reverse("triads:jim_log_share", args=[other.pk, entry.pk])).status_code == 200


def test_the_jims_triads_come_from_a_union_of_their_permission_rows_never_an_or_of_two_ins(jim, triad):
    sql = str(triads_of_mentor(jim).query).upper()
    assert " UNION " in sql and "TRIADUSEROBJECTPERMISSION" in sql
    assert " OR " not in sql
    assert list(triads_of_mentor(jim)) == [triad]
