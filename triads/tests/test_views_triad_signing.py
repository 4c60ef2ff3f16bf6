"""Signing the agreement (in person and by link) and recording consent on the professional's pages."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase.tests.html import select, without_tokens
from jimcase.tests.mail import sent
from triads import selectors, services
from triads.models import ConsentDecision, Party, Signature, SigningLink, Triad
from triads.tests.triad_pages import (
    HTML,
    LONG,
    consent_data,
    consent_url,
    field_error,
    link_url,
    sign_url,
    token,
)

# --- Signing in person --------------------------------------------------------------------------


def test_signing_in_person_binds_the_signature_to_the_text(login, triad, lead):
    client = login(lead)
    response = client.post(
        sign_url(triad),
        {"signer": "youth", "typed_name": "Lotte Vermeulen", "agree": "on", "witnessed": "on"},
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.party, signature.method, signature.user) == ("youth", "in_person", lead)
    assert signature.text_hash == triad.current_agreement.text_hash()


def test_signing_as_the_professional_counts_as_logged_in(login, triad, lead):
    login(lead).post(sign_url(triad), {"signer": "professional", "typed_name": "Lead Persoon", "agree": "on"})
    assert Signature.objects.get().method == "logged_in"


@pytest.mark.parametrize(
    "data,field,expected",
    [
        ({"typed_name": "", "agree": "on"}, "typed_name", "verplicht"),
        ({"typed_name": "   ", "agree": "on"}, "typed_name", "verplicht"),
        ({"typed_name": LONG, "agree": "on"}, "typed_name", "200"),
        ({"typed_name": HTML, "agree": "on"}, "typed_name", "zonder HTML"),
        ({"typed_name": "Lotte Vermeulen"}, "agree", "verplicht"),
        ({"typed_name": "L", "agree": "on"}, "typed_name", "naam"),
    ],
)
def test_sign_in_person_refuses_bad_input(login, triad, lead, data, field, expected):
    response = login(lead).post(sign_url(triad), {"signer": "youth", **data})
    assert response.status_code == 200
    assert expected in field_error(response, field)
    assert not Signature.objects.exists()


def test_the_same_party_cannot_sign_twice_in_person(login, triad, lead):
    client = login(lead)
    client.post(
        sign_url(triad),
        {"signer": "youth", "typed_name": "Lotte Vermeulen", "agree": "on", "witnessed": "on"},
    )
    response = client.post(
        sign_url(triad),
        {"signer": "youth", "typed_name": "Lotte Vermeulen", "agree": "on", "witnessed": "on"},
    )
    assert response.status_code == 200
    assert field_error(response, "signer")  # no longer one of the choices
    assert Signature.objects.count() == 1
    assert select(client.get(sign_url(triad)), 'input[value="youth"]') == []


# --- Signing links ------------------------------------------------------------------------------


def test_sending_a_link_from_the_page(login, triad, lead, mailoutbox):
    client = login(lead)
    page = client.get(link_url(triad))
    assert 'value="wilma@example.org"' in page.content.decode()  # the JIM's address is proposed
    response = client.post(
        link_url(triad), {"recipient": "jim", "email": "wilma@example.org", "submission_token": token(page)}
    )
    assert response.status_code == 302
    link = SigningLink.objects.get()
    assert (link.party, link.email, link.created_by) == ("jim", "wilma@example.org", lead)
    assert len(sent()) == 1 and "/triads/sign/" in sent()[0].body


@pytest.mark.parametrize("email", ["", "geen-adres", "a@b", HTML, "x" * 300 + "@example.org"])
def test_link_form_refuses_a_bad_email_in_dutch(login, triad, lead, mailoutbox, email):
    client = login(lead)
    page = client.get(link_url(triad))
    response = client.post(
        link_url(triad), {"recipient": "jim", "email": email, "submission_token": token(page)}
    )
    assert response.status_code == 200
    error = field_error(response, "email")
    assert "e-mailadres" in error or "verplicht" in error or "tekens" in error
    assert not SigningLink.objects.exists() and not sent()


def test_link_form_refuses_a_party_that_already_signed(login, triad, lead):
    client = login(lead)
    services.agreement_sign(
        agreement=triad.current_agreement,
        party=Party.JIM,
        method="in_person",
        typed_name="Wilma Janssens",
        user=lead,
    )
    page = client.get(link_url(triad))
    response = client.post(
        link_url(triad), {"recipient": "jim", "email": "wilma@example.org", "submission_token": token(page)}
    )
    assert field_error(response, "recipient")
    assert not SigningLink.objects.exists()


def test_double_submit_of_the_link_form_sends_one_link(login, triad, lead, mailoutbox):
    client = login(lead)
    data = {
        "recipient": "jim",
        "email": "wilma@example.org",
        "submission_token": token(client.get(link_url(triad))),
    }
    first = client.post(link_url(triad), data)
    second = client.post(link_url(triad), data)
    assert first.status_code == second.status_code == 302
    assert SigningLink.objects.count() == 1
    assert len(sent()) == 1


# --- Consent form -------------------------------------------------------------------------------


def test_recording_consent_from_the_page(login, triad, lead, parents):
    client = login(lead)
    page = client.get(consent_url(triad))
    assert "Greet Pleeg" not in without_tokens(page)  # no parental authority: not a choice
    response = client.post(
        consent_url(triad), consent_data(parents[0], note="Moeder tekende.", submission_token=token(page))
    )
    assert response.status_code == 302
    decision = selectors.current_consents(triad)[parents[0].pk]
    assert (decision.decision, decision.method, decision.recorded_by, decision.note) == (
        "given",
        "writing",
        lead,
        "Moeder tekende.",
    )


@pytest.mark.parametrize(
    "overrides,field,expected",
    [
        ({"parent": ""}, "parent", "verplicht"),
        ({"decision": ""}, "decision", "verplicht"),
        ({"decided_on": ""}, "decided_on", "verplicht"),
        ({"method": ""}, "method", "verplicht"),
        ({"decision": "pending"}, "decision", "geldige keuze"),
        ({"decided_on": "morgen"}, "decided_on", "geldige datum"),
        ({"decided_on": "future"}, "decided_on", "toekomst"),
        ({"note": HTML}, "note", "zonder HTML"),
        ({"note": LONG}, "note", "2000"),
        ({"decision": "withdrawn"}, "decision", "kan niet"),
    ],
)
def test_consent_form_refuses_bad_input_in_dutch(login, triad, lead, parents, overrides, field, expected):
    if overrides.get("decided_on") == "future":
        overrides["decided_on"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = login(lead)
    page = client.get(consent_url(triad))
    count = ConsentDecision.objects.count()
    response = client.post(
        consent_url(triad), consent_data(parents[0], submission_token=token(page), **overrides)
    )
    assert response.status_code == 200
    assert expected in field_error(response, field)
    assert ConsentDecision.objects.count() == count


def test_consent_for_a_parent_without_authority_is_refused(login, triad, lead, parents):
    client = login(lead)
    response = client.post(
        consent_url(triad), consent_data(parents[2], submission_token=token(client.get(consent_url(triad))))
    )
    assert field_error(response, "parent")
    assert not ConsentDecision.objects.filter(parent=parents[2]).exists()


def test_double_submit_of_the_consent_form_records_one_decision(login, triad, lead, parents):
    client = login(lead)
    data = consent_data(parents[0], submission_token=token(client.get(consent_url(triad))))
    count = ConsentDecision.objects.count()
    assert client.post(consent_url(triad), data).status_code == 302
    assert client.post(consent_url(triad), data).status_code == 302
    assert ConsentDecision.objects.count() == count + 1


def test_refused_consent_is_flagged_on_the_triad_page(login, triad, lead, parents):
    client = login(lead)
    client.post(
        consent_url(triad),
        consent_data(
            parents[1],
            decision="refused",
            note="Vader wil het niet.",
            submission_token=token(client.get(consent_url(triad))),
        ),
    )
    body = client.get(reverse("triads:detail", args=[triad.pk])).content.decode()
    assert "consent-refused" in body
    assert "Vader wil het niet." in body


def test_withdrawal_on_the_page_flags_the_triad(login, started_triad, lead, parents, mailoutbox):
    client = login(lead)
    sent().clear()
    client.post(
        consent_url(started_triad),
        consent_data(
            parents[0], decision="withdrawn", submission_token=token(client.get(consent_url(started_triad)))
        ),
    )
    started_triad.refresh_from_db()
    assert started_triad.consent_withdrawn_flag and started_triad.status == Triad.Status.TRIAL
    assert len(sent()) == 1
    body = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "alert-danger" in body


def test_a_jim_with_an_account_can_get_a_new_password_link(login, lead, triad, jim, stranger):
    url = reverse("triads:jim_password_link", args=[triad.pk])
    assert login(stranger).post(url).status_code == 404
    assert sent() == []
    client = login(lead)
    response = client.post(url, follow=True)
    assert "kreeg een e-mail om een wachtwoord te kiezen" in response.content.decode()
    assert len(sent()) == 1 and sent()[0].to == [jim.email]
    assert "/accounts/reset/" in sent()[0].body


def test_no_password_link_for_a_jim_without_an_account(lead, triad):
    triad.jim_profile.user = None
    triad.jim_profile.save()
    with pytest.raises(ValidationError):
        services.jim_password_link_send(jim_profile=triad.jim_profile, by=lead)


@pytest.mark.parametrize("typed", ["Sofie", "Lotte", "Jan Janssens", "Lotte Vermeulen-Peeters"])
def test_signing_in_person_refuses_a_name_that_is_not_the_partys(login, triad, lead, typed):
    response = login(lead).post(
        sign_url(triad), {"signer": "youth", "typed_name": typed, "agree": "on", "witnessed": "on"}
    )
    assert response.status_code == 200
    assert "Lotte Vermeulen" in field_error(response, "typed_name")
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "typed", ["lotte vermeulen", "  Lotte   Vermeulen ", "LOTTE VERMEULEN", "Lötte Vérmeulen"]
)
def test_case_accents_and_spaces_do_not_matter(login, triad, lead, typed):
    login(lead).post(
        sign_url(triad), {"signer": "youth", "typed_name": typed, "agree": "on", "witnessed": "on"}
    )
    assert Signature.objects.get().party == Party.YOUTH


def test_signing_in_person_records_that_the_professional_saw_it(login, triad, lead):
    client = login(lead)
    response = client.post(
        sign_url(triad), {"signer": "youth", "typed_name": "Lotte Vermeulen", "agree": "on"}
    )
    assert response.status_code == 200 and "zag" in field_error(response, "witnessed")
    assert not Signature.objects.exists()
    client.post(
        sign_url(triad),
        {"signer": "youth", "typed_name": "Lotte Vermeulen", "agree": "on", "witnessed": "on"},
    )
    assert Signature.objects.get().witnessed_by == lead


def test_a_logged_in_user_cannot_sign_someone_elses_link(login, triad, lead, parents):
    _link, url = services.signing_link_send(
        agreement=triad.current_agreement, party=Party.YOUTH, email="lotte@example.org", by=lead
    )
    path = url.removeprefix(settings.SITE_URL)
    client = login(lead)
    page = without_tokens(client.get(path))
    assert "voor iemand anders" in page and 'name="typed_name"' not in page
    client.post(path, {"typed_name": "Lotte Vermeulen", "agree": "on"})
    assert not Signature.objects.exists()
