"""A note is shared with the JIM of one triad, only while that triad runs, and never when it is confidential."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase.models import Note, Role
from jimcase.services import note_add
from jimcase.tests.factories import UserFactory
from jimcase.tests.html import without_tokens
from triads import selectors, services
from triads.models import EndReason, NoteShare
from triads.tests.conftest import OUTCOME, give_all_consents, make_found_search, sign_all
from triads.tests.triad_pages import field_error, token


def today():
    return timezone.localdate()


def a_note(triad, lead, text="Lotte heeft een nieuwe hobby: boksen.", **flags):
    return note_add(youth=triad.youth, author=lead, written_on=today(), text=text, **flags)


@pytest.fixture
def next_jim(organisation):
    return UserFactory(username="nextjim", organisation=organisation, role=Role.JIM)


@pytest.fixture
def next_triad(started_triad, lead, next_jim):
    """A second triad of the same youth, with another JIM, still a draft (no consent, nothing signed)."""
    search = make_found_search(started_triad.youth, lead, jim_user=next_jim, name="Karel Buur")
    return services.triad_create(search=search, by=lead)


def jim_page(client, triad):
    return without_tokens(client.get(reverse("triads:jim_triad", args=[triad.pk])))


def test_a_note_shared_with_one_jim_never_reaches_the_next_jim_of_the_same_youth(
    client, login, started_triad, next_triad, lead, jim, next_jim
):
    note = a_note(started_triad, lead)
    services.note_share(note=note, triad=started_triad, agreed_on=today(), by=lead)
    assert note.text in jim_page(login(jim), started_triad)
    client.logout()
    assert note.text not in jim_page(login(next_jim), next_triad)
    assert list(selectors.shared_notes_for_jim(next_triad)) == []
    # Even once the first triad ended and the next one runs, the old share stays with the first triad.
    services.triad_close(
        **OUTCOME, triad=started_triad, by=lead, reason=EndReason.JIM_STOPS, after_plan="Karel neemt over."
    )
    sign_all(next_triad.current_agreement, lead)
    give_all_consents(next_triad, lead)
    next_triad.refresh_from_db()
    assert next_triad.is_running
    assert note.text not in jim_page(login(next_jim), next_triad)


def test_a_jim_of_a_draft_triad_sees_no_shared_note(login, triad, lead, jim):
    note = a_note(triad, lead)
    services.note_share(note=note, triad=triad, agreed_on=today(), by=lead)
    assert triad.is_draft
    body = jim_page(login(jim), triad)
    assert note.text not in body
    assert list(selectors.shared_notes_for_jim(triad)) == []


@pytest.mark.parametrize("flag", Note.NEVER_FOR_JIM)
def test_a_confidential_note_is_never_shared(started_triad, lead, flag):
    note = a_note(started_triad, lead, **{flag: True})
    with pytest.raises(ValidationError):
        services.note_share(note=note, triad=started_triad, agreed_on=today(), by=lead)
    assert not NoteShare.objects.exists()


@pytest.mark.parametrize("flag", Note.NEVER_FOR_JIM)
def test_a_note_flagged_after_it_was_shared_disappears_from_the_jims_page(
    login, started_triad, lead, jim, flag
):
    note = a_note(started_triad, lead)
    services.note_share(note=note, triad=started_triad, agreed_on=today(), by=lead)
    Note.objects.filter(pk=note.pk).update(**{flag: True})
    assert note.text not in jim_page(login(jim), started_triad)


def test_sharing_needs_the_day_the_youth_agreed_and_not_a_future_one(started_triad, lead):
    note = a_note(started_triad, lead)
    for day in (None, today() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.note_share(note=note, triad=started_triad, agreed_on=day, by=lead)
    assert not NoteShare.objects.exists()


def test_a_note_of_another_youth_cannot_be_shared(started_triad, other_triad, stranger, lead):
    note = note_add(youth=other_triad.youth, author=stranger, written_on=today(), text="Andere jongere.")
    with pytest.raises(ValidationError):
        services.note_share(note=note, triad=started_triad, agreed_on=today(), by=lead)


def test_the_lead_shares_and_unshares_a_note_from_the_triad_page(login, started_triad, lead, jim, client):
    keep = a_note(started_triad, lead, text="Werkt graag met de handen.")
    secret = a_note(started_triad, lead, text="Geheim van Lotte.", in_confidence=True)
    professional = login(lead)
    url = reverse("triads:note_share", args=[started_triad.pk])
    form = professional.get(url)
    assert keep.text in without_tokens(form) and secret.text not in without_tokens(form)
    response = professional.post(
        url, {"note": keep.pk, "agreed_on": today().isoformat(), "submission_token": token(form)}
    )
    assert response.status_code == 302
    share = NoteShare.objects.get()
    assert (share.note, share.triad, share.by) == (keep, started_triad, lead)
    page = professional.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Werkt graag met de handen." in page
    professional.post(reverse("triads:note_unshare", args=[started_triad.pk, share.pk]))
    assert not NoteShare.objects.exists()


def test_the_share_form_refuses_a_confidential_note_beside_the_field(login, started_triad, lead):
    a_note(started_triad, lead, text="Mag gedeeld worden.")
    secret = a_note(started_triad, lead, text="Geheim van Lotte.", in_confidence=True)
    client = login(lead)
    url = reverse("triads:note_share", args=[started_triad.pk])
    response = client.post(
        url, {"note": secret.pk, "agreed_on": today().isoformat(), "submission_token": token(client.get(url))}
    )
    assert response.status_code == 200
    assert "geldige keuze" in field_error(response, "note")
    assert not NoteShare.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "stranger", "jim", "other_jim", "coordinator"])
def test_outsiders_cannot_share_or_unshare(login, cast, started_triad, lead, who):
    note = a_note(started_triad, lead)
    share = services.note_share(note=note, triad=started_triad, agreed_on=today(), by=lead)
    other = a_note(started_triad, lead, text="Nog een notitie.")
    client = login(cast[who])
    share_url = reverse("triads:note_share", args=[started_triad.pk])
    assert client.get(share_url).status_code == 404
    assert client.post(share_url, {"note": other.pk, "agreed_on": today().isoformat()}).status_code == 404
    assert client.post(reverse("triads:note_unshare", args=[started_triad.pk, share.pk])).status_code == 404
    assert list(NoteShare.objects.values_list("note_id", flat=True)) == [note.pk]


def test_without_a_shareable_note_the_page_says_so(login, started_triad, lead):
    a_note(started_triad, lead, text="Geheim van Lotte.", in_confidence=True)
    body = without_tokens(login(lead).get(reverse("triads:note_share", args=[started_triad.pk])))
    assert "Er is geen notitie die met de JIM gedeeld kan worden." in body
    assert 'name="note"' not in body
