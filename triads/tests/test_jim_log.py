"""The JIM's private log: light to keep, invisible to everyone else, shared one entry at a time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase.tests import clock
from jimcase.tests.html import select, without_tokens
from triads import services
from triads.models import JimLogEntry
from triads.tests.conftest import give_all_consents, sign_all
from triads.tests.triad_pages import field_error, token


@pytest.fixture
def triad(triad, lead):
    """The cast's triad in its trial: the log opens when the trial starts (issue 21)."""
    sign_all(triad.current_agreement, lead)
    give_all_consents(triad, lead)
    triad.refresh_from_db()
    assert triad.is_running
    return triad


def log_url(triad):
    return reverse("triads:jim_log", args=[triad.pk])


def share_url(entry):
    return reverse("triads:jim_log_share", args=[entry.triad_id, entry.pk])


def today():
    return timezone.localdate()


def test_the_form_is_three_taps_we_met_today_and_one_sentence(login, triad, jim):
    body = login(jim).get(log_url(triad)).content.decode()
    assert 'value="met" autocomplete="off" checked' in body
    assert f'value="{today().isoformat()}"' in body
    assert body.count('type="radio"') == len(JimLogEntry.Kind.choices)


def test_a_log_entry_with_empty_text_is_fine(login, triad, jim):
    response = login(jim).post(
        log_url(triad), {"kind": "met", "happened_on": today().isoformat(), "text": ""}
    )
    assert response.status_code == 302
    entry = JimLogEntry.objects.get()
    assert (entry.triad, entry.author, entry.kind, entry.happened_on, entry.text) == (
        triad,
        jim,
        "met",
        today(),
        "",
    )
    assert entry.shared_at is None


def test_a_log_entry_is_shown_to_the_jim(login, triad, jim):
    client = login(jim)
    client.post(log_url(triad), {"kind": "call", "happened_on": today().isoformat(), "text": "Fijn gebeld."})
    body = client.get(log_url(triad)).content.decode()
    assert "Fijn gebeld." in body and "telefoon" in body


def test_a_double_submit_logs_once(login, triad, jim):
    client = login(jim)
    once = token(client.get(log_url(triad)))
    data = {
        "kind": "met",
        "happened_on": today().isoformat(),
        "text": "Samen gewandeld.",
        "submission_token": once,
    }
    client.post(log_url(triad), data)
    client.post(log_url(triad), data)
    assert JimLogEntry.objects.count() == 1


@pytest.mark.parametrize(
    "data,field,expected",
    [
        ({"text": "x" * 10_000}, "text", "500"),
        ({"text": "<b>vet</b>"}, "text", "gewone tekst"),
        (
            {"happened_on": (clock.TODAY + datetime.timedelta(days=1)).isoformat()},  # read at import
            "happened_on",
            "toekomst",
        ),
        ({"happened_on": "gisteren"}, "happened_on", "datum"),
        ({"kind": "hacked"}, "kind", "geldige keuze"),
    ],
)
def test_the_log_form_refuses_bad_input(login, triad, jim, data, field, expected):
    response = login(jim).post(log_url(triad), {"kind": "met", "happened_on": today().isoformat(), **data})
    assert response.status_code == 200
    assert expected in field_error(response, field)
    assert not JimLogEntry.objects.exists()


def test_the_log_shows_only_what_this_jim_wrote_in_this_triad(login, triad, jim, other_jim, other_triad):
    services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text="Mijn eigen zin.")
    # An entry on the same triad by someone else (e.g. a former JIM) and one on another triad.
    JimLogEntry.objects.create(triad=triad, author=other_jim, happened_on=today(), text="Niet van jou.")
    JimLogEntry.objects.create(
        triad=other_triad, author=other_jim, happened_on=today(), kind="met", text="Andere triade."
    )
    body = without_tokens(login(jim).get(log_url(triad)))
    assert "Mijn eigen zin." in body
    assert "Niet van jou." not in body and "Andere triade." not in body
    # The other triad is a draft: its JIM has no log page until the trial starts (issue 21).
    assert login(other_jim).get(log_url(other_triad)).status_code == 404


def test_another_jim_never_reaches_the_log_or_an_entry(login, triad, jim, other_jim, other_triad):
    entry = services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text="Privé.")
    client = login(other_jim)
    assert client.get(log_url(triad)).status_code == 404
    assert client.get(share_url(entry)).status_code == 404
    assert client.post(share_url(entry), {"youth_agrees": "on"}).status_code == 404
    entry.refresh_from_db()
    assert entry.shared_at is None


def test_an_unshared_entry_is_invisible_to_the_professionals(login, triad, jim, lead):
    services.jim_log_add(
        triad=triad, by=jim, happened_on=today(), kind="met", text="Alleen voor mij bedoeld."
    )
    response = login(lead).get(reverse("triads:detail", args=[triad.pk]))
    assert response.status_code == 200
    assert "Alleen voor mij bedoeld." not in without_tokens(response)


def test_sharing_needs_the_youths_agreement_ticked(login, triad, jim):
    entry = services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text="Mag gedeeld.")
    client = login(jim)
    page = client.get(share_url(entry)).content.decode()
    assert "De jongere vindt het goed dat ik dit deel" in page
    assert "Vraag het eerst" in page
    response = client.post(share_url(entry), {})
    assert "Deel dit alleen als de jongere het goed vindt" in field_error(response, "youth_agrees")
    entry.refresh_from_db()
    assert entry.shared_at is None


def test_sharing_one_entry_shares_only_that_one(login, client, triad, jim, lead):
    entry = services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text="Mag gedeeld.")
    other = services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="call", text="Blijft privé.")
    client = login(jim)
    response = client.post(share_url(entry), {"youth_agrees": "on"}, follow=True)
    assert "Gedeeld met de hulpverlener" in response.content.decode()
    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.shared_at is not None and other.shared_at is None
    assert select(client.get(share_url(entry)), '[name="youth_agrees"]') == []
    client.logout()
    professional_page = without_tokens(login(lead).get(reverse("triads:detail", args=[triad.pk])))
    assert "Mag gedeeld." in professional_page
    assert "Blijft privé." not in professional_page
