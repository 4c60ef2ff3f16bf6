"""What the JIM sees and does, the personal signing link, and the JIM's account invitation."""

import html
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from jimcase.models import Role
from jimcase.services import note_add
from jimcase.tests.html import without_tokens
from jimcase.tests.mail import sent
from mentors.models import NetworkMember
from triads import selectors, services
from triads.models import ConsentDecision, Party, Signature, SigningLink
from triads.tests.conftest import make_found_search, sign_all
from triads.tests.triad_pages import field_error, professional_urls

User = get_user_model()


#: Session, account, roles, the live triads from the JIM's permission rows, and the JIM's triads that ended
#: lately (a farewell on the page instead of the redirect; issue 14).
MINE_REDIRECT_QUERIES = 5


def jim_url(triad):
    return reverse("triads:jim_triad", args=[triad.pk])


# --- The JIM's own triad ------------------------------------------------------------------------


def test_mine_takes_the_jim_to_their_only_triad(login, triad, jim):
    response = login(jim).get("/triads/mine/")
    assert response.status_code == 302 and response["Location"] == jim_url(triad)


def test_mine_redirect_query_count_does_not_grow_with_other_triads(
    login, triad, jim, other_jim, make_youth, lead, django_assert_num_queries
):
    client = login(jim)
    client.get("/triads/mine/")  # warm up: session, content types
    with django_assert_num_queries(MINE_REDIRECT_QUERIES, info="the JIM's one triad"):
        client.get("/triads/mine/")
    for youth in make_youth(3, first_name="Ander"):
        search = make_found_search(youth, lead, name=f"JIM {youth.pk}", email=f"jim{youth.pk}@example.org")
        services.triad_create(search=search, by=lead)
    with django_assert_num_queries(MINE_REDIRECT_QUERIES, info="three more triads of other JIMs"):
        response = client.get("/triads/mine/")
    assert response.status_code == 302 and response["Location"] == jim_url(triad)


def test_mine_lists_several_triads(login, triad, jim, make_youth, lead):
    (second,) = make_youth(first_name="Bram")
    search = make_found_search(second, lead, name="Wilma Janssens", email="w2@example.org")
    search.jim_profile = triad.jim_profile  # one profile per JIM, chosen by two youths
    search.save()
    other = services.triad_create(search=search, by=lead)
    body = login(jim).get("/triads/mine/").content.decode()
    assert jim_url(triad) in body and jim_url(other) in body


def test_mine_without_a_triad_is_a_warm_empty_page(login, jim):
    response = login(jim).get("/triads/mine/")
    assert response.status_code == 200
    assert "empty-state" in response.content.decode()


def test_the_jim_sees_first_name_agreement_and_a_tel_link_to_the_fallback(login, triad, jim, lead):
    lead.phone = "+32 9 123 45 67"
    lead.save()
    response = login(jim).get(jim_url(triad))
    body = without_tokens(response)
    assert response.status_code == 200
    assert "Lotte" in body
    assert 'href="tel:+3291234567"' in body
    assert html.escape(triad.current_agreement.confidentiality)[:60] in body
    # The triad, not the case: no parents, case number, notes or network.
    for secret in ("Els Wouters", "Tom Wouters", "BRUG-0001", "els@example.org"):
        assert secret not in body, secret


def test_the_jim_signs_logged_in(login, triad, jim):
    client = login(jim)
    response = client.post(jim_url(triad), {"typed_name": "Wilma Janssens", "agree": "on"})
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.party, signature.method, signature.user) == (Party.JIM, "logged_in", jim)
    assert signature.text_hash == triad.current_agreement.text_hash()
    body = without_tokens(client.get(jim_url(triad)))
    assert 'name="typed_name"' not in body  # signed: no second form
    client.post(jim_url(triad), {"typed_name": "Wilma Janssens", "agree": "on"})
    assert Signature.objects.count() == 1


@pytest.mark.parametrize(
    "data,field",
    [
        ({"typed_name": "", "agree": "on"}, "typed_name"),
        ({"typed_name": "x" * 10_000, "agree": "on"}, "typed_name"),
        ({"typed_name": "<b>Wilma</b>", "agree": "on"}, "typed_name"),
        ({"typed_name": "Wilma Janssens"}, "agree"),
    ],
)
def test_the_jims_sign_form_refuses_bad_input(login, triad, jim, data, field):
    response = login(jim).post(jim_url(triad), data)
    assert response.status_code == 200
    assert field_error(response, field)
    assert not Signature.objects.exists()


def test_the_jim_gets_404_on_another_jims_triad(login, triad, other_triad, jim, other_jim):
    assert login(jim).get(jim_url(other_triad)).status_code == 404
    assert login(other_jim).get(jim_url(triad)).status_code == 404
    assert login(other_jim).get(jim_url(other_triad)).status_code == 200


def test_the_jim_gets_404_on_every_professional_page(login, triad, jim):
    client = login(jim)
    for method, url in professional_urls(triad):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_jim_gets_404_on_the_youth_file_and_the_wie_vraag(login, triad, jim):
    client = login(jim)
    youth_pk = triad.youth_id
    assert client.get(f"/youths/{youth_pk}/").status_code == 404
    assert client.get("/youths/caseload/").status_code == 404
    assert client.get(f"/mentors/youth/{youth_pk}/network/").status_code == 404
    assert client.get(f"/mentors/youth/{youth_pk}/search/").status_code == 404


@pytest.mark.parametrize("member", ["lead", "colleague", "stranger", "coordinator", "other_coordinator"])
def test_non_jims_get_404_on_the_jim_pages(cast, login, triad, member):
    client = login(cast[member])
    assert client.get("/triads/mine/").status_code == 404
    assert client.get(jim_url(triad)).status_code == 404


def test_an_ended_triad_disappears_for_the_jim(login, triad, jim, lead):
    services.triad_transition(triad=triad, to="ended", by=lead, why="Gestopt")
    client = login(jim)
    assert client.get(jim_url(triad)).status_code == 404
    assert "empty-state" in client.get("/triads/mine/").content.decode()


def test_jim_page_runs_the_same_queries_at_two_data_sizes(
    login, triad, jim, lead, parents, django_assert_num_queries
):
    client = login(jim)
    client.get(jim_url(triad))  # warm up: session, content types
    # A draft's page (issue 21): the agreement, its signatures, the lead to call; no plan, notes or requests.
    with django_assert_num_queries(9, info="version 1, unsigned"):
        client.get(jim_url(triad))
    sign_all(triad.current_agreement, lead)
    services.agreement_new_version(triad=triad, by=lead, include_parents=True)
    services.agreement_sign(
        agreement=triad.current_agreement,
        party=Party.PARENT,
        parent=parents[0],
        method="in_person",
        typed_name="Els Wouters",
        user=lead,
    )
    for _i in range(3):
        services.signing_link_send(
            agreement=triad.current_agreement, party=Party.YOUTH, email="lotte@example.org", by=lead
        )
    with django_assert_num_queries(9, info="version 2, signatures, signing links"):
        response = client.get(jim_url(triad))
    assert "Versie 2" in response.content.decode()


# --- The personal signing link ------------------------------------------------------------------


def send_link(triad, lead, party=Party.JIM, **extra):
    _link, url = services.signing_link_send(
        agreement=triad.current_agreement, party=party, email="wilma@example.org", by=lead, **extra
    )
    return url.removeprefix("http://127.0.0.1:8000").removeprefix(settings.SITE_URL)


def test_the_link_from_the_email_opens_the_agreement_anonymously(client, triad, lead, mailoutbox):
    note_add(
        youth=triad.youth, author=lead, written_on=timezone.localdate(), text="Geheime notitie over thuis."
    )
    NetworkMember.objects.create(
        youth=triad.youth, name="Oom Geheim", relation="aunt_uncle", closeness="close"
    )
    send_link(triad, lead)
    url = re.search(r"https?://\S+/triads/sign/\S+/", sent()[0].body).group(0)
    path = "/" + url.split("/", 3)[3]
    response = client.get(path)
    body = without_tokens(response)
    assert response.status_code == 200
    assert html.escape(triad.current_agreement.meeting)[:60] in body
    assert response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    # Only the agreement text: no parents' details, notes, case number or network.
    for secret in (
        "Els Wouters",
        "els@example.org",
        "BRUG-0001",
        "Greet Pleeg",
        "Geheime notitie",
        "Oom Geheim",
    ):
        assert secret not in body, secret
    assert reverse("jimcase:youth_detail", args=[triad.youth_id]) not in body


def test_signing_through_the_link_signs_once(client, triad, lead):
    path = send_link(triad, lead)
    response = client.post(path, {"typed_name": "Wilma Janssens", "agree": "on"})
    assert response.status_code == 200
    signature = Signature.objects.get()
    assert (signature.party, signature.method, signature.typed_name) == (Party.JIM, "link", "Wilma Janssens")
    assert signature.text_hash == triad.current_agreement.text_hash()
    assert SigningLink.objects.get().used_at is not None
    again = client.post(path, {"typed_name": "Wilma Janssens", "agree": "on"})
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()
    assert client.get(path).status_code == 410
    assert Signature.objects.count() == 1


def test_the_link_form_refuses_bad_input(client, triad, lead):
    path = send_link(triad, lead)
    for data in (
        {"typed_name": "", "agree": "on"},
        {"typed_name": "Wilma"},
        {"typed_name": "<i>W</i>", "agree": "on"},
    ):
        response = client.post(path, data)
        assert response.status_code == 200
        assert field_error(response, "typed_name") or field_error(response, "agree")
    assert not Signature.objects.exists()
    assert SigningLink.objects.get().used_at is None  # still usable


def test_an_expired_link_signs_nothing(client, triad, lead):
    path = send_link(triad, lead)
    SigningLink.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    for response in (client.get(path), client.post(path, {"typed_name": "Wilma Janssens", "agree": "on"})):
        assert response.status_code == 410
        assert "verlopen" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_tampered_link_signs_nothing(client, triad, lead):
    path = send_link(triad, lead)
    token = path.rstrip("/").rsplit("/", 1)[1]
    for position in (0, len(token) // 2, len(token) - 1):
        char = token[position]
        tampered = token[:position] + ("A" if char != "A" else "B") + token[position + 1 :]
        url = reverse("triads:sign_link", args=[tampered])
        for response in (client.get(url), client.post(url, {"typed_name": "Wilma Janssens", "agree": "on"})):
            assert response.status_code == 410
            assert "niet geldig" in response.content.decode()
    assert client.get(reverse("triads:sign_link", args=["zomaar-iets"])).status_code == 410
    assert not Signature.objects.exists()


def test_a_link_to_a_superseded_version_signs_nothing(client, triad, lead):
    agreement = triad.current_agreement
    services.agreement_sign(
        agreement=agreement, party=Party.YOUTH, method="in_person", typed_name="Lotte Vermeulen", user=lead
    )
    path = send_link(triad, lead)
    services.agreement_new_version(triad=triad, by=lead, meeting="Elke woensdag.")
    for response in (client.get(path), client.post(path, {"typed_name": "Wilma Janssens", "agree": "on"})):
        assert response.status_code == 410
        assert "gewijzigd" in response.content.decode()
    assert Signature.objects.count() == 1  # only the youth's, on version 1


def test_a_parent_signing_through_the_link_gives_consent(client, triad, lead, parents):
    services.agreement_update(agreement=triad.current_agreement, by=lead, include_parents=True)
    path = send_link(triad, lead, party=Party.PARENT, parent=parents[1])
    client.post(path, {"typed_name": "Tom Wouters", "agree": "on"})
    signature = Signature.objects.get()
    assert (signature.party, signature.parent) == (Party.PARENT, parents[1])
    decision = selectors.current_consents(triad)[parents[1].pk]
    assert (decision.decision, decision.method) == (ConsentDecision.Decision.GIVEN, "link")


def test_a_refusing_parent_who_signs_after_all_gives_consent(client, triad, lead, parents):
    services.consent_record(
        triad=triad,
        parent=parents[0],
        decision="refused",
        decided_on=timezone.localdate(),
        method="orally",
        by=lead,
    )
    services.agreement_update(agreement=triad.current_agreement, by=lead, include_parents=True)
    path = send_link(triad, lead, party=Party.PARENT, parent=parents[0])
    client.post(path, {"typed_name": "Els Wouters", "agree": "on"})
    assert selectors.current_consents(triad)[parents[0].pk].decision == "given"


# --- Inviting the JIM to an account -------------------------------------------------------------


@pytest.fixture
def jim_without_account(triad):
    profile = triad.jim_profile
    profile.user = None
    profile.save()
    return profile


def invite_url(triad):
    return reverse("triads:jim_invite", args=[triad.pk])


def test_invitation_creates_a_jim_account_and_the_jim_can_set_a_password(
    client, login, triad, lead, jim_without_account, mailoutbox
):
    response = login(lead).post(invite_url(triad), {"email": "wilma.nieuw@example.org"})
    assert response.status_code == 302
    jim_without_account.refresh_from_db()
    user = jim_without_account.user
    assert user is not None and user.email == "wilma.nieuw@example.org"
    assert list(user.groups.values_list("name", flat=True)) == [Role.JIM.value]
    assert not user.has_usable_password()
    assert user.has_perm("triads.view_triad", triad)
    assert len(sent()) == 1 and sent()[0].to == ["wilma.nieuw@example.org"]
    assert user.username in sent()[0].body

    client.logout()
    link = re.search(r"https?://\S+/accounts/reset/\S+/", sent()[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "Een-lang-wachtwoord-2026", "new_password2": "Een-lang-wachtwoord-2026"},
    )
    assert done.status_code == 302
    assert client.login(username=user.username, password="Een-lang-wachtwoord-2026")
    mine = client.get("/triads/mine/", follow=True)
    assert mine.redirect_chain[-1][0] == jim_url(triad)
    assert "Lotte" in mine.content.decode()
    # ... and nothing else.
    assert client.get(f"/youths/{triad.youth_id}/").status_code == 404
    assert client.get(reverse("triads:detail", args=[triad.pk])).status_code == 404


def test_invitation_grants_every_live_triad_of_the_jim(login, triad, lead, jim_without_account, make_youth):
    (second,) = make_youth(first_name="Bram")
    search = make_found_search(second, lead, name="Wilma Janssens", email="w2@example.org")
    search.jim_profile = jim_without_account
    search.save()
    other = services.triad_create(search=search, by=lead)
    login(lead).post(invite_url(triad), {"email": "wilma.nieuw@example.org"})
    user = User.objects.get(email="wilma.nieuw@example.org")
    assert user.has_perm("triads.view_triad", triad) and user.has_perm("triads.view_triad", other)


@pytest.mark.parametrize(
    "email,expected",
    [
        ("", "verplicht"),
        ("geen-adres", "e-mailadres"),
        ("<b>@example.org", "e-mailadres"),
        ("LEAD@example.org", "bestaat al"),
    ],
)
def test_invite_form_refuses_bad_or_taken_addresses(
    login, triad, lead, jim_without_account, mailoutbox, email, expected
):
    count = User.objects.count()
    response = login(lead).post(invite_url(triad), {"email": email})
    assert response.status_code == 200
    assert expected in field_error(response, "email")
    assert User.objects.count() == count
    jim_without_account.refresh_from_db()
    assert jim_without_account.user is None
    assert not sent()


def test_a_jim_with_an_account_is_not_invited_twice(login, triad, lead, jim, mailoutbox):
    count = User.objects.count()
    response = login(lead).post(invite_url(triad), {"email": "nog-een@example.org"})
    assert response.status_code == 200
    assert User.objects.count() == count
    assert not sent()
