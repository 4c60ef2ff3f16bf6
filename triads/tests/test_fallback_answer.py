"""A handled "Denk even mee" keeps what was agreed: a short answer, asked on the "Weet je het zeker?" page, read
by the professionals and, in words for the JIM, by the JIM; never by the admin (issue 21)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from jimcase.tests.html import without_tokens
from triads import services
from triads.models import FallbackRequest
from triads.tests.triad_pages import field_error

ANSWER = "We bellen donderdag samen."


@pytest.fixture
def question(started_triad, jim):
    return services.fallback_request_send(triad=started_triad, by=jim, message="Lotte slaapt slecht, wat nu?")


def handle_url(question):
    return reverse("triads:fallback_handle", args=[question.triad_id, question.pk])


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("", "wat jullie afspraken"),
        ("   ", "wat jullie afspraken"),
        ("<b>ja</b>", "gewone tekst"),
        ("x" * 1001, "1000"),
    ],
)
def test_handling_asks_what_was_agreed_and_refuses_it_empty_or_as_html(
    login, lead, question, answer, expected
):
    client = login(lead)
    page = client.get(handle_url(question)).content.decode()
    assert "Weet je het zeker?" in page and 'name="answer"' in page
    response = client.post(handle_url(question), {"answer": answer})
    assert response.status_code == 200
    assert expected in (field_error(response, "answer") or ""), field_error(response, "answer")
    question.refresh_from_db()
    assert (question.status, question.answer, question.handled_by) == (FallbackRequest.Status.OPEN, "", None)


def test_the_service_refuses_an_empty_answer(question, lead):
    with pytest.raises(ValidationError):
        services.fallback_request_handle(request=question, by=lead, answer="  ")
    question.refresh_from_db()
    assert question.status == FallbackRequest.Status.OPEN


def test_the_answer_reaches_the_professionals_and_the_jim_in_words(login, lead, jim, question, started_triad):
    client = login(lead)
    response = client.post(handle_url(question), {"answer": f"  {ANSWER}  "})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.answer, question.handled_by) == ("handled", ANSWER, lead)
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert ANSWER in page
    with translation.override("nl-be"):
        day = date_format(timezone.localtime(question.created_at), "j F")
    words = f"Je vraag van {day}: afgehandeld door {lead} — “{ANSWER}”"
    jim_client = login(jim)
    assert words in jim_client.get(reverse("triads:jim_ask", args=[started_triad.pk])).content.decode()
    assert words in jim_client.get(reverse("triads:jim_triad", args=[started_triad.pk])).content.decode()


def test_the_admin_never_shows_the_answer(login, coordinator, lead, question):
    services.fallback_request_handle(request=question, by=lead, answer=ANSWER)
    client = login(coordinator)
    changelist = reverse("admin:triads_fallbackrequest_changelist")
    assert "donderdag" not in without_tokens(client.get(changelist))
    change = reverse("admin:triads_fallbackrequest_change", args=[question.pk])
    assert "donderdag" not in without_tokens(client.get(change))
    assert client.get(changelist, {"answer__icontains": "donderdag"}).status_code == 400
