"""The professional's triad pages: who may see them, what they show, bad input, query counts."""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jimcase.models import AccessLog, ParentGuardian
from jimcase.services import youth_update
from jimcase.tests.html import select, without_tokens
from jimcase.tests.mail import sent
from triads import rules, selectors, services
from triads.models import Agreement, ConsentDecision, Party, Signature, SigningLink, Triad
from triads.sections import triad_section
from triads.selectors import triad_page_for
from triads.tests.conftest import assign_backup, sign_all

OUTSIDERS = ["colleague", "stranger", "jim", "other_jim", "coordinator", "other_coordinator"]
LONG = "x" * 10_000
HTML = '<script>alert("x")</script>'
SIGNED_UNCHANGED = "ondertekend, ongewijzigd"


def professional_urls(triad):
    """Every professional page of a triad, with the method that reaches it."""
    return [
        ("get", reverse("triads:detail", args=[triad.pk])),
        ("get", reverse("triads:agreement_edit", args=[triad.pk])),
        ("get", reverse("triads:agreement_print", args=[triad.pk, 1])),
        ("get", reverse("triads:sign_in_person", args=[triad.pk])),
        ("get", reverse("triads:link_send", args=[triad.pk])),
        ("get", reverse("triads:consent_record", args=[triad.pk])),
        ("get", reverse("triads:jim_invite", args=[triad.pk])),
        ("post", reverse("triads:start", args=[triad.pk])),
        ("get", reverse("triads:create", args=[triad.youth_id, triad.search_id])),
    ]


def field_error(response, field):
    """The error text crispy renders beside `field` ('' when there is none)."""
    body = response.content.decode()
    found = re.findall(rf'<[^>]+id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', body, re.S)
    return html.unescape(" ".join(found))


def token(response):
    match = re.search(r'name="submission_token" value="([0-9a-f-]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def agreement_data(agreement, **overrides):
    data = {name: getattr(agreement, name) for name in rules.AGREEMENT_FIELDS}
    data["include_parents"] = "on" if agreement.include_parents else ""
    data["edit_version"] = agreement.edit_version
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("member", OUTSIDERS)
def test_outsiders_get_404_on_every_professional_triad_page(cast, login, triad, member):
    client = login(cast[member])
    for method, url in professional_urls(triad):
        assert getattr(client, method)(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    triad.refresh_from_db()
    assert triad.status == Triad.Status.DRAFT
    assert triad.history.count() == 1
    assert not Signature.objects.exists() and not SigningLink.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, triad):
    for method, url in professional_urls(triad) + [
        ("get", "/triads/mine/"),
        ("get", f"/triads/mine/{triad.pk}/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_guessed_id_is_404_for_the_lead(login, triad):
    client = login(triad.lead)
    assert client.get(reverse("triads:detail", args=[triad.pk + 100])).status_code == 404
    assert client.get(reverse("triads:agreement_print", args=[triad.pk, 9])).status_code == 404


def test_the_lead_of_another_youth_gets_404(login, triad, other_triad, lead):
    client = login(lead)
    for _method, url in professional_urls(other_triad)[:7]:
        assert client.get(url).status_code == 404, url


def test_a_team_that_shares_the_youth_sees_the_triad(login, triad, colleague, lead):
    youth_update(youth=triad.youth, by=lead, shared_with_team=True)
    assert login(colleague).get(reverse("triads:detail", args=[triad.pk])).status_code == 200


# --- The triad page -----------------------------------------------------------------------------


def test_triad_page_shows_the_parties_the_agreement_and_writes_the_access_log(login, triad, lead):
    response = login(lead).get(reverse("triads:detail", args=[triad.pk]))
    body = without_tokens(response)
    assert response.status_code == 200
    assert "Lotte" in body and "Wilma Janssens" in body and "Els Wouters" in body
    assert triad.current_agreement.text_hash() in body
    assert "Greet Pleeg" not in body  # no parental authority: not part of the consent
    assert AccessLog.objects.filter(youth=triad.youth, user=lead, page="triads:detail").count() == 1


def test_signed_unchanged_is_shown_only_while_the_hash_matches(login, started_triad, lead):
    client = login(lead)
    agreement = started_triad.current_agreement
    detail = reverse("triads:detail", args=[started_triad.pk])
    printed = reverse("triads:agreement_print", args=[started_triad.pk, agreement.version])
    for url in (detail, printed):
        body = without_tokens(client.get(url))
        assert "signed-unchanged" in body and SIGNED_UNCHANGED in body, url
    Agreement.objects.filter(pk=agreement.pk).update(meeting="Eén keer per jaar, als het uitkomt.")
    for url in (detail, printed):
        body = without_tokens(client.get(url))
        assert "signed-unchanged" not in body and SIGNED_UNCHANGED not in body, url
        assert "Eén keer per jaar" in body


def test_nothing_signed_shows_no_unchanged_badge(login, triad, lead):
    body = without_tokens(login(lead).get(reverse("triads:detail", args=[triad.pk])))
    assert "signed-unchanged" not in body


def test_print_page_shows_text_version_signatures_with_dates_and_hash(login, started_triad, lead):
    agreement = started_triad.current_agreement
    response = login(lead).get(reverse("triads:agreement_print", args=[started_triad.pk, agreement.version]))
    body = response.content.decode()
    assert "Versie 1" in body
    assert agreement.text_hash() in body
    for signature in agreement.signatures.all():
        assert signature.typed_name in body
    day = timezone.localtime(agreement.signatures.first().signed_at).strftime("%d-%m-%Y")
    assert day in body
    assert html.escape(agreement.confidentiality.split("\n")[0])[:40] in body
    assert AccessLog.objects.filter(youth=started_triad.youth, page="triads:agreement_print").exists()


def test_print_page_of_an_old_version_shows_that_version(login, started_triad, lead):
    old_text = started_triad.current_agreement.meeting
    services.agreement_new_version(triad=started_triad, by=lead, meeting="Elke week op woensdag.")
    client = login(lead)
    v1 = without_tokens(client.get(reverse("triads:agreement_print", args=[started_triad.pk, 1])))
    v2 = without_tokens(client.get(reverse("triads:agreement_print", args=[started_triad.pk, 2])))
    assert html.escape(old_text)[:40] in v1 and "Elke week op woensdag." not in v1
    assert "Elke week op woensdag." in v2
    assert "signed-unchanged" in v1  # v1's signatures still match v1's text
    assert "signed-unchanged" not in v2  # nobody signed v2 yet


def test_triad_page_shows_the_start_blockers_in_dutch(login, triad, lead):
    body = login(lead).get(reverse("triads:detail", args=[triad.pk])).content.decode()
    assert "Voor de proefperiode kan starten" in body or "proefperiode" in body


# --- Starting by hand ---------------------------------------------------------------------------


def test_start_button_refuses_with_a_message_until_ready(login, triad, lead):
    client = login(lead)
    response = client.post(reverse("triads:start", args=[triad.pk]), follow=True)
    triad.refresh_from_db()
    assert triad.status == Triad.Status.DRAFT
    assert response.context["messages"]
    assert len(list(response.context["messages"])) == 2


def test_start_url_is_post_only(login, triad, lead):
    assert login(lead).get(reverse("triads:start", args=[triad.pk])).status_code == 405


# --- Creating from the search -------------------------------------------------------------------


def test_the_lead_makes_the_triad_from_the_found_search(login, found_search, lead, colleague, parents):
    assign_backup(found_search.youth, colleague, lead)
    client = login(lead)
    url = reverse("triads:create", args=[found_search.youth_id, found_search.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"fallback": colleague.pk, "submission_token": token(page)})
    triad = Triad.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("triads:detail", args=[triad.pk])
    assert triad.fallback == colleague and triad.lead == lead
    # A second visit goes to the existing triad instead of making another.
    again = client.post(url, {"fallback": lead.pk, "submission_token": token(page)})
    assert again["Location"] == reverse("triads:detail", args=[triad.pk])
    assert Triad.objects.count() == 1


def test_create_refuses_a_fallback_of_another_organisation(login, found_search, lead, stranger):
    client = login(lead)
    url = reverse("triads:create", args=[found_search.youth_id, found_search.pk])
    response = client.post(url, {"fallback": stranger.pk, "submission_token": token(client.get(url))})
    assert response.status_code == 200
    assert field_error(response, "fallback")
    assert not Triad.objects.exists()


def test_create_for_a_search_of_another_youth_is_404(login, found_search, lead, make_youth):
    (other,) = make_youth()
    url = reverse("triads:create", args=[other.pk, found_search.pk])
    assert login(lead).get(url).status_code == 404


# --- Agreement form -----------------------------------------------------------------------------


def test_editing_a_draft_saves_it(login, triad, lead):
    client = login(lead)
    agreement = triad.current_agreement
    url = reverse("triads:agreement_edit", args=[triad.pk])
    response = client.post(
        url, agreement_data(agreement, meeting="Elke zaterdag in het park.", trial_days=60)
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.meeting, agreement.trial_days, agreement.version) == (
        "Elke zaterdag in het park.",
        60,
        1,
    )


def test_editing_a_signed_agreement_makes_a_new_version(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:agreement_edit", args=[started_triad.pk])
    page = client.get(url).content.decode()
    assert "nieuwe versie" in page.lower()
    response = client.post(url, agreement_data(started_triad.current_agreement, meeting="Elke woensdag."))
    assert response.status_code == 302
    assert list(started_triad.agreements.values_list("version", "status")) == [
        (2, "draft"),
        (1, "superseded"),
    ]
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.TRIAL
    body = without_tokens(client.get(reverse("triads:detail", args=[started_triad.pk])))
    assert "Elke woensdag." in body and "signed-unchanged" not in body


def test_saving_a_signed_agreement_without_changes_makes_no_new_version(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:agreement_edit", args=[started_triad.pk])
    response = client.post(url, agreement_data(started_triad.current_agreement))
    assert response.status_code == 302
    assert started_triad.agreements.count() == 1
    assert started_triad.current_agreement.status == Agreement.Status.SIGNED


def test_windows_line_endings_are_no_change_to_a_signed_text(login, started_triad, lead):
    agreement = started_triad.current_agreement
    data = agreement_data(agreement, meeting=agreement.meeting.replace("\n", "\r\n") + "\r\n")
    login(lead).post(reverse("triads:agreement_edit", args=[started_triad.pk]), data)
    assert started_triad.agreements.count() == 1


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("meeting", "", "verplicht"),
        ("ending", "   ", "verplicht"),
        ("jim_role", LONG, "4000"),
        ("trial_days", "3", "14"),
        ("trial_days", "400", "365"),
        ("trial_days", "-5", "14"),
        ("trial_days", "drie", "geheel getal"),
        ("trial_days", "", "verplicht"),
    ],
)
def test_agreement_form_refuses_bad_input_in_dutch(login, triad, lead, field, value, expected):
    agreement = triad.current_agreement
    before = agreement.canonical_text()
    response = login(lead).post(
        reverse("triads:agreement_edit", args=[triad.pk]), agreement_data(agreement, **{field: value})
    )
    assert response.status_code == 200
    assert expected in field_error(response, field)
    agreement.refresh_from_db()
    assert agreement.canonical_text() == before
    assert triad.agreements.count() == 1


def test_agreement_form_on_a_signed_version_refuses_bad_input_and_makes_no_version(
    login, started_triad, lead
):
    agreement = started_triad.current_agreement
    response = login(lead).post(
        reverse("triads:agreement_edit", args=[started_triad.pk]), agreement_data(agreement, meeting="")
    )
    assert "verplicht" in field_error(response, "meeting")
    assert started_triad.agreements.count() == 1
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED and agreement.meeting


def test_html_in_the_agreement_is_kept_but_escaped_on_every_page(login, triad, lead, jim):
    client = login(lead)
    agreement = triad.current_agreement
    client.post(reverse("triads:agreement_edit", args=[triad.pk]), agreement_data(agreement, meeting=HTML))
    agreement.refresh_from_db()
    assert agreement.meeting == HTML
    pages = [
        reverse("triads:detail", args=[triad.pk]),
        reverse("triads:agreement_print", args=[triad.pk, 1]),
        reverse("triads:sign_in_person", args=[triad.pk]),
    ]
    for url in pages:
        body = without_tokens(client.get(url))
        assert HTML not in body, url
        assert "&lt;script&gt;" in body, url
    client.logout()
    body = without_tokens(login(jim).get(reverse("triads:jim_triad", args=[triad.pk])))
    assert HTML not in body and "&lt;script&gt;" in body


# --- Signing in person --------------------------------------------------------------------------


def sign_url(triad):
    return reverse("triads:sign_in_person", args=[triad.pk])


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


def link_url(triad):
    return reverse("triads:link_send", args=[triad.pk])


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


def consent_url(triad):
    return reverse("triads:consent_record", args=[triad.pk])


def consent_data(who, **overrides):
    data = {
        "parent": who.pk,
        "decision": "given",
        "decided_on": timezone.localdate().isoformat(),
        "method": "writing",
        "note": "",
    }
    data.update(overrides)
    return data


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


# --- The youth file's triad section -------------------------------------------------------------


def render_section(youth, user):
    request = RequestFactory().get(f"/youths/{youth.pk}/")
    request.user = user
    section = triad_section(request, youth)
    return without_tokens(render_to_string(section["template"], {"youth": youth, **section["context"]}))


def test_section_shows_the_refusal_flag_after_a_refusal(triad, lead, parents):
    assert "consent-refused-flag" not in render_section(triad.youth, lead)
    services.consent_record(
        triad=triad,
        parent=parents[1],
        decision="refused",
        decided_on=timezone.localdate(),
        method="orally",
        by=lead,
    )
    body = render_section(triad.youth, lead)
    assert "consent-refused-flag" in body
    assert "Tom Wouters" in body
    assert reverse("triads:detail", args=[triad.pk]) in body


def test_section_drops_the_flag_once_the_parent_consents_after_all(triad, lead, parents):
    for decision in ("refused", "given"):
        services.consent_record(
            triad=triad,
            parent=parents[1],
            decision=decision,
            decided_on=timezone.localdate(),
            method="orally",
            by=lead,
        )
    assert "consent-refused-flag" not in render_section(triad.youth, lead)


def test_section_offers_to_make_the_triad_from_a_found_search(found_search, lead):
    body = render_section(found_search.youth, lead)
    assert reverse("triads:create", args=[found_search.youth_id, found_search.pk]) in body


def test_section_shows_a_withdrawal_badge(started_triad, lead, parents):
    services.consent_record(
        triad=started_triad,
        parent=parents[0],
        decision="withdrawn",
        decided_on=timezone.localdate(),
        method="orally",
        by=lead,
    )
    assert "text-bg-danger" in render_section(started_triad.youth, lead)


# --- Query counts -------------------------------------------------------------------------------


def grow(triad, lead, n=3):
    """Add `n` parents, their decisions, `n` versions signed by youth and parents, and signing links."""
    youth = triad.youth
    for _i in range(n):
        ParentGuardian.objects.create(
            youth=youth,
            name=f"Voogd {youth.parents.count()}",
            relation="guardian",
            email=f"v{youth.parents.count()}@example.org",
        )
    agreement = services.agreement_update(agreement=triad.current_agreement, by=lead, include_parents=True)
    decided = set(triad.consents.values_list("parent_id", flat=True))
    for parent in youth.parents.filter(has_parental_authority=True).exclude(pk__in=decided):
        for decision in ("refused", "given"):
            services.consent_record(
                triad=triad,
                parent=parent,
                decision=decision,
                decided_on=timezone.localdate(),
                method="orally",
                by=lead,
            )
    for _version in range(n):
        services.agreement_sign(
            agreement=agreement,
            party=Party.YOUTH,
            method="in_person",
            typed_name="Lotte Vermeulen",
            user=lead,
        )
        for parent in youth.parents.filter(has_parental_authority=True)[:2]:
            services.agreement_sign(
                agreement=agreement,
                party=Party.PARENT,
                parent=parent,
                method="in_person",
                typed_name=parent.name,
                user=lead,
            )
        for parent in youth.parents.filter(has_parental_authority=True):
            services.signing_link_send(
                agreement=agreement, party=Party.PARENT, parent=parent, email="x@example.org", by=lead
            )
        agreement = services.agreement_new_version(triad=triad, by=lead)
    # Still a draft (the newest version is unsigned), like the small triad measured first.
    triad.refresh_from_db()
    assert triad.status == Triad.Status.DRAFT


def test_triad_page_runs_the_same_queries_at_two_data_sizes(login, triad, lead, django_assert_num_queries):
    client = login(lead)
    url = reverse("triads:detail", args=[triad.pk])
    grow(triad, lead, n=1)
    client.get(url)  # warm up: session, content types
    # 24: 22 + the JIM's and the youth's views before the evaluations (issue 14) + the record of why nobody
    # can decide on consent (issue 21).
    with django_assert_num_queries(24, info="two versions, one more parent"):
        client.get(url)
    grow(triad, lead, n=3)
    assert triad.agreements.count() == 5 and SigningLink.objects.count() > 10
    with django_assert_num_queries(24, info="five versions, four more parents"):
        response = client.get(url)
    assert response.status_code == 200


def test_print_page_runs_the_same_queries_however_many_signed(
    login, triad, lead, parents, django_assert_num_queries
):
    client = login(lead)
    agreement = services.agreement_update(agreement=triad.current_agreement, by=lead, include_parents=True)
    url = reverse("triads:agreement_print", args=[triad.pk, agreement.version])

    def sign_as(parent):
        services.agreement_sign(
            agreement=agreement,
            party=Party.PARENT,
            parent=parent,
            method="in_person",
            typed_name=parent.name,
            user=lead,
        )

    sign_as(parents[0])
    client.get(url)  # warm up: session, content types
    with django_assert_num_queries(8, info="one signature, by a parent"):
        response = client.get(url)
    assert response.content.decode().count("<li>") == 1
    for i in range(4):
        ParentGuardian.objects.create(youth=triad.youth, name=f"Voogd {i}", relation="guardian")
    for parent in triad.youth.parents.filter(has_parental_authority=True).exclude(pk=parents[0].pk):
        sign_as(parent)
    sign_all(agreement, lead)
    assert agreement.signatures.count() == 9  # six parents with parental authority, youth, professional, JIM
    with django_assert_num_queries(8, info="nine signatures, six by parents"):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("<li>") == 9
    assert "Voogd 3 · voogd" in body and "Tom Wouters · vader" in body and "Wilma Janssens" in body


def test_the_selector_reads_the_page_in_a_fixed_number_of_queries(triad, lead, django_assert_num_queries):
    def read():
        fresh = Triad.objects.select_related("youth", "jim_profile", "fallback").get(pk=triad.pk)
        page = triad_page_for(fresh)
        [s.parent for s in page["signatures"]]
        [(p.name, d and d.recorded_by) for p, d in page["parent_consents"]]
        [c.parent.name for c in page["consent_history"]]
        [link.agreement.version for link in page["links"]]
        return page

    grow(triad, lead, n=1)
    # 18: 16 + the JIM's and the youth's views before the evaluations (issue 14) + the record of why nobody
    # can decide on consent (issue 21).
    with django_assert_num_queries(18, info="two versions, one more parent"):
        read()
    grow(triad, lead, n=3)
    with django_assert_num_queries(18, info="five versions, four more parents"):
        read()


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
