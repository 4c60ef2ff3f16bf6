""" "Denk even mee": the JIM asks the fallback professional to think along, and follows what became of it."""

import pytest
from django.urls import reverse
from django.utils import translation

from jimcase.tests.html import visible_text, without_tokens
from jimcase.tests.mail import sent
from triads import services
from triads.models import FallbackRequest
from triads.tests.conftest import assign_backup, give_all_consents, sign_all
from triads.tests.triad_pages import field_error, token


def ask_url(triad):
    return reverse("triads:jim_ask", args=[triad.pk])


@pytest.fixture
def triad(triad, lead):
    """The cast's triad in its trial: "Denk even mee" opens when the trial starts (issue 21)."""
    sign_all(triad.current_agreement, lead)
    give_all_consents(triad, lead)
    triad.refresh_from_db()
    assert triad.is_running
    return triad


@pytest.fixture
def fallback(triad, lead, colleague):
    """The fallback professional is not the lead, so the e-mail must find the right person."""
    assign_backup(triad.youth, colleague, lead)
    services.triad_fallback_set(triad=triad, fallback=colleague, by=lead)
    return colleague


def test_a_request_mails_the_fallback_professional(login, triad, jim, fallback, mailoutbox):
    client = login(jim)
    response = client.post(ask_url(triad), {"message": "Lotte wil niet meer naar school.", "urgent": ""})
    assert response.status_code == 302
    request = FallbackRequest.objects.get()
    assert (request.triad, request.created_by, request.urgent, request.status) == (triad, jim, False, "open")
    assert len(sent()) == 1 and sent()[0].to == [fallback.email]
    with translation.override("nl-be"):
        assert translation.gettext("URGENT") not in sent()[0].subject
    body = client.get(ask_url(triad)).content.decode()
    assert "Lotte wil niet meer naar school." in body
    assert 'data-status="open"' in body and "Wacht op antwoord" in body


def test_an_urgent_request_says_so_in_the_subject(login, triad, jim, fallback, mailoutbox):
    login(jim).post(ask_url(triad), {"message": "Ik maak me zorgen.", "urgent": "on"})
    assert FallbackRequest.objects.get().urgent
    with translation.override("nl-be"):
        assert sent()[0].subject.startswith(translation.gettext("URGENT"))
    assert sent()[0].to == [fallback.email]


def test_the_jim_is_thanked_warmly(login, triad, jim, fallback):
    response = login(jim).post(ask_url(triad), {"message": "Even bellen?"}, follow=True)
    assert "Dankjewel!" in response.content.decode()


def test_a_handled_request_shows_as_picked_up(login, triad, jim, fallback, lead):
    client = login(jim)
    client.post(ask_url(triad), {"message": "Even bellen?"})
    services.fallback_request_handle(
        request=FallbackRequest.objects.get(), by=fallback, answer="We bellen donderdag samen."
    )
    body = without_tokens(client.get(ask_url(triad)))
    assert 'data-status="handled"' in body and "Opgepakt op" in body
    assert 'data-status="open"' not in body
    assert "wacht" not in visible_text(client.get(reverse("triads:jim_triad", args=[triad.pk])))


def test_the_main_page_counts_waiting_requests(login, triad, jim, fallback):
    client = login(jim)
    client.post(ask_url(triad), {"message": "Eén"})
    client.post(ask_url(triad), {"message": "Twee"})
    body = client.get(reverse("triads:jim_triad", args=[triad.pk])).content.decode()
    assert "Je hebt 2 berichten die nog wachten op antwoord." in body


def test_a_double_submit_sends_one_request(login, triad, jim, fallback, mailoutbox):
    client = login(jim)
    once = token(client.get(ask_url(triad)))
    for _i in range(2):
        response = client.post(ask_url(triad), {"message": "Dubbel?", "submission_token": once})
        assert response.status_code == 302
    assert FallbackRequest.objects.count() == 1
    assert len(sent()) == 1


@pytest.mark.parametrize(
    "message,expected",
    [
        ("", "Schrijf een paar woorden"),
        ("   ", "Schrijf een paar woorden"),
        ("x" * 10_000, "1000"),
        ("<script>alert(1)</script>", "gewone tekst"),
    ],
)
def test_the_request_form_refuses_bad_input(login, triad, jim, fallback, mailoutbox, message, expected):
    response = login(jim).post(ask_url(triad), {"message": message, "urgent": "on"})
    assert response.status_code == 200
    assert expected in field_error(response, "message")
    assert not FallbackRequest.objects.exists()
    assert not sent()


def test_the_jim_sees_only_their_own_requests(login, triad, jim, other_triad, other_jim):
    # Written straight to the table: the other triad is a draft, whose JIM cannot ask yet (issue 21).
    FallbackRequest.objects.create(
        triad=other_triad, created_by=other_jim, message="Vraag van een andere JIM."
    )
    body = without_tokens(login(jim).get(ask_url(triad)))
    assert "Vraag van een andere JIM." not in body
    assert "Je stuurde nog geen bericht." in body


def test_without_an_address_for_the_fallback_the_lead_gets_the_question(triad, jim, lead, colleague):
    assign_backup(triad.youth, colleague, lead)
    services.triad_fallback_set(triad=triad, fallback=colleague, by=lead)
    colleague.email = ""
    colleague.save()
    sent().clear()
    services.fallback_request_send(triad=triad, by=jim, message="Even bellen?")
    assert [m.to for m in sent()] == [[lead.email]]
