"""The professional's triad pages: who may see them, what they show, starting, creating, the agreement form."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase.models import AccessLog
from jimcase.services import youth_update
from jimcase.tests.html import without_tokens
from triads import services
from triads.models import Agreement, Signature, SigningLink, Triad
from triads.tests.conftest import assign_backup
from triads.tests.triad_pages import (
    HTML,
    LONG,
    OUTSIDERS,
    SIGNED_UNCHANGED,
    agreement_data,
    field_error,
    professional_urls,
    token,
)

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
