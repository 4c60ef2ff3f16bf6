"""Until the trial starts, a JIM sees the agreement to sign, the guide and whom to call about the agreement
(the lead professional) — nothing else: no fallback professional, no "Denk even mee", no log (issue 21)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import without_tokens
from jimcase.tests.mail import sent
from triads import services
from triads.models import CheckIn, FallbackRequest, JimLogEntry
from triads.tests.conftest import assign_backup


@pytest.fixture
def fallback(triad, lead, colleague):
    """A fallback professional who is not the lead, with a phone: what a draft's JIM must not see yet."""
    colleague.display_name = "Bram Terugval"
    colleague.phone = "+32 9 765 43 21"
    colleague.save()
    assign_backup(triad.youth, colleague, lead)
    services.triad_fallback_set(triad=triad, fallback=colleague, by=lead)
    return colleague


@pytest.fixture
def lead_with_phone(lead):
    lead.display_name = "Anna Leidt"
    lead.phone = "+32 9 111 22 33"
    lead.save()
    return lead


def test_a_draft_triads_page_shows_the_agreement_and_the_lead_to_call_never_the_fallback(
    login, triad, jim, fallback, lead_with_phone
):
    assert triad.is_draft
    body = without_tokens(login(jim).get(reverse("triads:jim_triad", args=[triad.pk])))
    # The agreement to sign, the guide, and whom to call about the agreement: the lead.
    assert 'name="typed_name"' in body
    assert "Lees de afspraken" in body
    assert reverse("triads:jim_welcome") in body
    assert "Anna Leidt" in body
    assert re.search(r'href="tel:\+3291112233"', body)
    # Nothing of the triad at work: not the fallback, no message, no log, no moments, no shared notes.
    # (The agreement's own text names the contact person as signed; outside it the fallback never shows.)
    text = body.split('<div class="agreement-text">', 1)[1].split("</div>", 1)[0]
    assert "Bram Terugval" in text
    page = body.replace(text, "")
    assert "Bram Terugval" not in page and "765" not in page
    assert not re.search(r'href="tel:\+3297654321"', body)
    for name in ("triads:jim_ask", "triads:jim_log"):
        assert reverse(name, args=[triad.pk]) not in body, name
    for heading in ('id="h-fallback"', 'id="h-next"', 'id="h-shared"'):
        assert heading not in body, heading


def test_a_draft_triads_jim_gets_404_on_the_ask_log_evaluation_and_share_pages(login, triad, jim, fallback):
    # Rows written straight to the tables, as if left from before: the pages must refuse them all the same.
    entry = JimLogEntry.objects.create(
        triad=triad, author=jim, happened_on=timezone.localdate(), kind=JimLogEntry.Kind.MET
    )
    moment = CheckIn.objects.create(
        triad=triad,
        kind=CheckIn.Kind.TRIAL_EVALUATION,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    today = timezone.localdate().isoformat()
    pages = [
        (reverse("triads:jim_ask", args=[triad.pk]), {"message": "Even bellen?", "urgent": "on"}),
        (reverse("triads:jim_log", args=[triad.pk]), {"kind": "met", "happened_on": today, "text": "x"}),
        (reverse("triads:jim_log_share", args=[triad.pk, entry.pk]), {"youth_agrees": "on"}),
        (reverse("triads:jim_evaluation", args=[triad.pk, moment.pk]), {"score": "4"}),
    ]
    client = login(jim)
    for url, data in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert not FallbackRequest.objects.exists()
    assert sent() == []
    assert JimLogEntry.objects.count() == 1
    entry.refresh_from_db()
    assert entry.shared_at is None


def test_the_services_refuse_a_draft_triads_jim(triad, jim, fallback):
    with pytest.raises(ValidationError):
        services.fallback_request_send(triad=triad, by=jim, message="Even bellen?")
    with pytest.raises(ValidationError):
        services.jim_log_add(triad=triad, by=jim, happened_on=timezone.localdate(), kind="met")
    assert not FallbackRequest.objects.exists() and not JimLogEntry.objects.exists()
    assert sent() == []


def test_the_guide_names_the_lead_for_a_draft_triad(login, triad, jim, fallback, lead_with_phone):
    body = without_tokens(login(jim).get(reverse("triads:jim_welcome")))
    assert "Anna Leidt" in body and "Bram Terugval" not in body


def test_once_the_trial_starts_the_jim_sees_the_fallback_and_may_ask(
    login, started_triad, jim, fallback, lead_with_phone
):
    client = login(jim)
    body = client.get(reverse("triads:jim_triad", args=[started_triad.pk])).content.decode()
    assert "Bram Terugval" in body
    assert reverse("triads:jim_ask", args=[started_triad.pk]) in body
    response = client.post(reverse("triads:jim_ask", args=[started_triad.pk]), {"message": "Even bellen?"})
    assert response.status_code == 302
    assert FallbackRequest.objects.get().created_by == jim
    guide = client.get(reverse("triads:jim_welcome")).content.decode()
    assert "Bram Terugval" in guide
