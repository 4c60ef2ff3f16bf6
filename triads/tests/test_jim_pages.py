"""The JIM's own page "Mijn triade": what it shows, what it never shows, signing, and its query count."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from jimcase.services import note_add
from jimcase.tests.html import select, visible_text, without_tokens
from mentors import services as mentor_services
from mentors.models import NetworkMember, PeerMeeting
from triads import services
from triads.models import CheckIn, FallbackRequest, JimLogEntry, NoteShare, Party, Signature
from triads.tests.conftest import assign_backup, sign_all
from triads.tests.triad_pages import field_error


def jim_url(triad):
    return reverse("triads:jim_triad", args=[triad.pk])


def today():
    return timezone.localdate()


def add_notes(triad, lead, n=1, tag=""):
    """Per round: one note shared with the JIM, one given in confidence, one plain professional note."""
    for i in range(n):
        shared = note_add(
            youth=triad.youth,
            author=lead,
            written_on=today() - datetime.timedelta(days=i),
            text=f"Gedeeld met Wilma {tag}{i}: het gaat beter op school.",
        )
        services.note_share(note=shared, triad=triad, agreed_on=today(), by=lead)
        note_add(
            youth=triad.youth,
            author=lead,
            written_on=today(),
            text=f"In vertrouwen {tag}{i}: ruzie thuis.",
            in_confidence=True,
        )
        note_add(youth=triad.youth, author=lead, written_on=today(), text=f"Werknotitie {tag}{i}: plan.")


def test_the_page_shows_exactly_the_notes_shared_with_the_jim(
    login, started_triad, jim, lead, other_triad, stranger
):
    triad = started_triad
    add_notes(triad, lead)
    other = note_add(
        youth=other_triad.youth, author=stranger, written_on=today(), text="Gedeeld met de andere JIM."
    )
    services.note_share(note=other, triad=other_triad, agreed_on=today(), by=stranger)
    body = without_tokens(login(jim).get(jim_url(triad)))
    assert "Gedeeld met Wilma 0: het gaat beter op school." in body
    assert today().strftime("%d-%m-%Y") in body
    for secret in ("In vertrouwen", "Werknotitie", "Gedeeld met de andere JIM"):
        assert secret not in body, secret


def test_the_page_never_shows_the_case(login, triad, jim, lead, parents):
    NetworkMember.objects.create(
        youth=triad.youth, name="Oom Geheim", relation="aunt_uncle", closeness="close"
    )
    body = without_tokens(login(jim).get(jim_url(triad)))
    assert "Lotte" in body
    for secret in ("Vermeulen", "BRUG-0001", "Els Wouters", "els@example.org", "Greet Pleeg", "Oom Geheim"):
        assert secret not in body, secret
    assert reverse("jimcase:youth_detail", args=[triad.youth_id]) not in body


def test_without_shared_notes_the_page_says_so(login, started_triad, jim, lead):
    triad = started_triad
    add_notes(triad, lead)
    NoteShare.objects.all().delete()
    body = without_tokens(login(jim).get(jim_url(triad)))
    assert "Nog niets" in body
    assert "Gedeeld met Wilma" not in body


def test_a_tap_calls_the_fallback_professional(login, started_triad, jim, lead, colleague):
    triad = started_triad
    colleague.phone = "+32 9 765 43 21"
    colleague.save()
    assign_backup(triad.youth, colleague, lead)
    services.triad_fallback_set(triad=triad, fallback=colleague, by=lead)
    body = login(jim).get(jim_url(triad)).content.decode()
    assert re.search(r'<a[^>]+href="tel:\+3297654321"', body)
    assert str(colleague) in body


def test_no_phone_means_no_tel_link_but_112_always_is_one(login, triad, jim, lead):
    lead.phone = ""
    lead.save()
    body = login(jim).get(jim_url(triad)).content.decode()
    assert re.findall(r'href="tel:([^"]*)"', body) == ["112"]
    assert '<a class="fw-semibold" href="tel:112">Bel 112</a>' in body


def test_the_next_evaluation_date_is_the_earliest_open_moment(login, started_triad, jim, lead):
    moments = list(started_triad.check_ins.order_by("due_on"))
    first, second = moments[0], moments[1]
    services.check_in_done(check_in=first, on=today(), by=lead)
    earlier = services.check_in_plan(
        triad=started_triad, due_on=second.due_on - datetime.timedelta(days=3), by=lead, kind="evaluation"
    )
    body = login(jim).get(jim_url(started_triad)).content.decode()
    section = body.split('id="h-next"', 1)[1].split("</section>", 1)[0]
    assert earlier.due_on.strftime("%d-%m-%Y") in section
    assert first.due_on.strftime("%d-%m-%Y") not in section


def test_without_an_open_moment_the_page_says_so_plainly(login, started_triad, jim):
    triad = started_triad
    CheckIn.objects.all().delete()
    body = login(jim).get(jim_url(triad)).content.decode()
    section = body.split('id="h-next"', 1)[1].split("</section>", 1)[0]
    assert "Er is nog geen datum" in section


def test_the_sign_button_shows_only_while_the_jims_signature_is_missing(login, triad, jim, lead):
    client = login(jim)
    agreement = triad.current_agreement
    services.agreement_sign(
        agreement=agreement, party=Party.YOUTH, method="in_person", typed_name="Lotte Vermeulen", user=lead
    )
    body = without_tokens(client.get(jim_url(triad)))
    assert 'name="typed_name"' in body and "handtekening ontbreekt" in body
    response = client.post(jim_url(triad), {"typed_name": "Wilma Janssens", "agree": "on"}, follow=True)
    signature = Signature.objects.get(party=Party.JIM)
    assert (signature.method, signature.user) == ("logged_in", jim)
    body = without_tokens(response)
    assert 'name="typed_name"' not in body
    assert "Dankjewel" in body


def test_a_new_version_asks_for_the_signature_again(login, triad, jim, lead):
    sign_all(triad.current_agreement, lead)
    client = login(jim)
    assert select(client.get(jim_url(triad)), '[name="typed_name"]') == []
    services.agreement_new_version(triad=triad, by=lead, meeting="Elke woensdag na school.")
    body = client.get(jim_url(triad)).content.decode()
    assert 'name="typed_name"' in body and "Elke woensdag na school." in body


def test_signing_without_the_tick_signs_nothing(login, triad, jim):
    response = login(jim).post(jim_url(triad), {"typed_name": "Wilma Janssens"})
    assert "verplicht" in field_error(response, "agree")
    assert not Signature.objects.exists()


def test_the_page_links_to_the_jims_other_pages(login, started_triad, jim):
    triad = started_triad
    body = login(jim).get(jim_url(triad)).content.decode()
    for name in ("triads:jim_ask", "triads:jim_log"):
        assert reverse(name, args=[triad.pk]) in body
    assert reverse("triads:jim_peers") in body


# --- Query counts -------------------------------------------------------------------------------


def grow(triad, lead, jim, round_):
    """More of everything the JIM's pages show: notes, log entries, requests, meetings, answered evaluations."""
    add_notes(triad, lead, n=3, tag=f"r{round_}-")
    for i in range(3):
        services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="call", text=f"Gebeld {i}")
        request = services.fallback_request_send(triad=triad, by=jim, message=f"Vraag {i}", urgent=i == 0)
        if i:
            services.fallback_request_handle(request=request, by=lead, answer="We bellen donderdag samen.")
        moment = services.check_in_plan(
            triad=triad,
            due_on=today() + datetime.timedelta(days=40 + i),
            by=lead,
            kind=CheckIn.Kind.EVALUATION,
        )
        services.evaluation_view_save(check_in=moment, party=Party.JIM, by=jim, score=4)
        meeting = PeerMeeting.objects.create(
            organisation=triad.youth.organisation,
            starts_at=timezone.now() + datetime.timedelta(days=10 + i),
            place="Buurthuis",
            topic=f"Onderwerp {round_}-{i}",
        )
        meeting.attendees.add(triad.jim_profile)
    services.jim_log_share(entry=JimLogEntry.objects.filter(author=jim).first(), by=jim)


def test_every_jim_page_runs_the_same_queries_at_two_data_sizes(
    login, started_triad, jim, lead, django_assert_num_queries
):
    triad = started_triad
    mentor_services.peer_network_opt(jim_profile=triad.jim_profile, on=True, by=jim)
    client = login(jim)
    grow(triad, lead, jim, 1)
    queries = {
        jim_url(triad): 13,  # 12 + whether a "denk even mee" e-mail has not gone out
        reverse("triads:jim_ask", args=[triad.pk]): 7,
        reverse("triads:jim_log", args=[triad.pk]): 8,
        reverse("triads:jim_peers"): 7,
    }
    for url in queries:
        client.get(url)  # warm up: session, content types
    for url, n in queries.items():
        with django_assert_num_queries(n, info=f"{url}, one round of data"):
            client.get(url)
    for round_ in range(2, 5):
        grow(triad, lead, jim, round_)
    assert FallbackRequest.objects.count() == 12 and PeerMeeting.objects.count() == 12
    for url, n in queries.items():
        with django_assert_num_queries(n, info=f"{url}, four rounds of data"):
            response = client.get(url)
        assert response.status_code == 200, url
    # The JIM's page marks the next evaluation as answered in the same query as the next moment.
    assert "Je hebt geantwoord." in client.get(jim_url(triad)).content.decode()


def test_a_passed_moment_is_explained_to_the_jim(login, jim, started_triad):
    moment = started_triad.check_ins.open().order_by("due_on").first()
    moment.due_on = timezone.localdate() - datetime.timedelta(days=3)
    moment.save()
    body = login(jim).get(jim_url(started_triad)).content.decode()
    assert "Deze datum is voorbij" in body
    moment.due_on = timezone.localdate() + datetime.timedelta(days=3)
    moment.save()
    assert "Deze datum is voorbij" not in visible_text(login(jim).get(jim_url(started_triad)))


def test_a_draft_triads_page_does_not_offer_the_peer_network(login, triad, jim):
    assert reverse("triads:jim_peers") not in without_tokens(login(jim).get(jim_url(triad)))
