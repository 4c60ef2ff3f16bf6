"""Agreements and signatures: frozen text, versions, the SHA-256 binding, signing links."""

import datetime
import hashlib

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from jimcase.models import ParentGuardian
from jimcase.tests.mail import sent
from triads import rules, selectors, services
from triads.models import AGREEMENT_SECTIONS, Agreement, ConsentDecision, Party, Signature, SigningLink, Triad
from triads.tests.conftest import give_all_consents, sign_all

Method = Signature.Method


def sign(agreement, party, by, method=Method.IN_PERSON, name="Lotte Vermeulen", **extra):
    return services.agreement_sign(
        agreement=agreement, party=party, method=method, typed_name=name, user=by, **extra
    )


# --- Default text -------------------------------------------------------------------------------


def test_the_first_draft_has_dutch_default_sections(found_search, lead, parents):
    with translation.override("nl-be"):
        triad = services.triad_create(search=found_search, by=lead)
    agreement = triad.current_agreement
    for name, _heading in AGREEMENT_SECTIONS:
        assert getattr(agreement, name).strip(), name
    # The trial's length is a field, printed beside the text: no section repeats it (issue 21).
    assert agreement.trial_days == 90
    assert "90" not in agreement.evaluation and "proefperiode" in agreement.evaluation
    assert "De JIM luistert" in agreement.jim_role  # Dutch, the interface's default language
    assert lead.display_name in agreement.fallback


# --- Hash ---------------------------------------------------------------------------------------


def test_signature_holds_the_sha256_of_the_canonical_text(triad, lead):
    agreement = triad.current_agreement
    signature = sign(agreement, Party.YOUTH, lead)
    expected = hashlib.sha256(agreement.canonical_text().encode("utf-8")).hexdigest()
    assert signature.text_hash == expected
    assert len(expected) == 64
    assert signature.matches


def test_canonical_text_ignores_line_endings_and_trailing_spaces(triad, lead):
    agreement = triad.current_agreement
    before = agreement.text_hash()
    agreement.meeting = agreement.meeting.replace("\n", "\r\n") + "   \n"
    assert agreement.text_hash() == before
    agreement.meeting += " Elke week."
    assert agreement.text_hash() != before


def test_signature_breaks_when_the_stored_text_changes(triad, lead):
    agreement = triad.current_agreement
    sign_all(agreement, lead)
    assert all(s.matches for s in Signature.objects.filter(agreement=agreement))
    Agreement.objects.filter(pk=agreement.pk).update(meeting="Eén keer per jaar, als het uitkomt.")
    assert not any(s.matches for s in Signature.objects.filter(agreement=agreement))


def test_the_hash_covers_names_and_trial_length(triad, lead):
    agreement = triad.current_agreement
    sign(agreement, Party.YOUTH, lead)
    for field, value in [("trial_days", 365), ("jim_name", "Iemand Anders"), ("fallback_phone", "112")]:
        Agreement.objects.filter(pk=agreement.pk).update(**{field: value})
        assert not Signature.objects.get(agreement=agreement).matches, field
        Agreement.objects.filter(pk=agreement.pk).update(**{field: getattr(agreement, field)})
        assert Signature.objects.get(agreement=agreement).matches, field


# --- Freezing and versions ----------------------------------------------------------------------


def test_a_draft_can_be_edited(triad, lead):
    agreement = services.agreement_update(
        agreement=triad.current_agreement, by=lead, meeting="Elke zaterdag."
    )
    agreement.refresh_from_db()
    assert agreement.meeting == "Elke zaterdag."
    assert agreement.version == 1


def test_once_anyone_signed_the_text_is_frozen(triad, lead):
    agreement = triad.current_agreement
    sign(agreement, Party.YOUTH, lead)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNING and agreement.is_frozen
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=agreement, by=lead, meeting="Stiekem aangepast.")
    agreement.refresh_from_db()
    assert agreement.meeting != "Stiekem aangepast."


def test_a_fully_signed_version_cannot_be_edited(triad, lead):
    agreement = triad.current_agreement
    sign_all(agreement, lead)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=agreement, by=lead, trial_days=30)


def test_a_new_version_supersedes_copies_and_needs_every_signature_again(started_triad, lead):
    old = started_triad.current_agreement
    new = services.agreement_new_version(triad=started_triad, by=lead, meeting="Elke week op woensdag.")
    old.refresh_from_db()
    assert old.status == Agreement.Status.SUPERSEDED and old.superseded_at is not None
    assert (new.version, new.status) == (2, Agreement.Status.DRAFT)
    assert new.meeting == "Elke week op woensdag."
    for field in (
        "jim_role",
        "confidentiality",
        "fallback",
        "evaluation",
        "at_eighteen",
        "ending",
        "trial_days",
    ):
        assert getattr(new, field) == getattr(old, field), field
    assert started_triad.current_agreement == new
    assert set(rules.missing_signers(new)) == {
        (Party.YOUTH, None),
        (Party.JIM, None),
        (Party.PROFESSIONAL, None),
    }
    # The old signatures stay with the old text and still match it.
    assert old.signatures.count() == 3 and all(s.matches for s in old.signatures.all())
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.TRIAL


def test_a_draft_needs_no_new_version(triad, lead):
    with pytest.raises(ValidationError):
        services.agreement_new_version(triad=triad, by=lead, meeting="Anders.")
    assert triad.agreements.count() == 1


def test_a_superseded_version_cannot_be_signed(triad, lead):
    old = triad.current_agreement
    sign(old, Party.YOUTH, lead)
    services.agreement_new_version(triad=triad, by=lead)
    with pytest.raises(ValidationError):
        sign(old, Party.PROFESSIONAL, lead, method=Method.LOGGED_IN)
    assert old.signatures.count() == 1


# --- Signing ------------------------------------------------------------------------------------


def test_the_same_party_cannot_sign_twice(triad, lead):
    agreement = triad.current_agreement
    sign(agreement, Party.YOUTH, lead)
    with pytest.raises(ValidationError) as exc:
        sign(agreement, Party.YOUTH, lead, name="Lotte Nogmaals")
    assert "party" in exc.value.message_dict
    assert agreement.signatures.count() == 1


@pytest.mark.parametrize("name", ["", " ", "L", "  \n "])
def test_a_name_must_be_typed(triad, lead, name):
    with pytest.raises(ValidationError):
        sign(triad.current_agreement, Party.YOUTH, lead, name=name)
    assert not Signature.objects.exists()


def test_logged_in_signing_is_for_the_jim_and_the_professional_only(triad, lead, jim, other_jim, colleague):
    agreement = triad.current_agreement
    with pytest.raises(ValidationError):
        sign(agreement, Party.JIM, other_jim, method=Method.LOGGED_IN)
    with pytest.raises(ValidationError):
        sign(agreement, Party.PROFESSIONAL, jim, method=Method.LOGGED_IN)
    with pytest.raises(ValidationError):
        sign(agreement, Party.YOUTH, lead, method=Method.LOGGED_IN)
    assert not Signature.objects.exists()
    assert sign(agreement, Party.JIM, jim, method=Method.LOGGED_IN, name="Wilma Janssens").user == jim


def test_parents_sign_only_when_the_agreement_includes_them(triad, lead, parents):
    agreement = triad.current_agreement
    with pytest.raises(ValidationError):
        sign(agreement, Party.PARENT, lead, parent=parents[0], name="Els Wouters")
    agreement = services.agreement_update(agreement=agreement, by=lead, include_parents=True)
    assert rules.missing_signers(agreement)[-2:] == [
        (Party.PARENT, parents[0]),
        (Party.PARENT, parents[1]),
    ]
    with pytest.raises(ValidationError):
        sign(agreement, Party.PARENT, lead, parent=parents[2], name="Greet Pleeg")  # no authority
    sign(agreement, Party.PARENT, lead, parent=parents[0], name="Els Wouters")
    with pytest.raises(ValidationError):
        sign(agreement, Party.PARENT, lead, parent=parents[0], name="Els Wouters")
    sign_all(agreement, lead)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNING  # Tom still has to sign
    sign(agreement, Party.PARENT, lead, parent=parents[1], name="Tom Wouters")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_an_ended_triad_cannot_be_signed(triad, lead):
    services.triad_transition(triad=triad, to=Triad.Status.ENDED, by=lead, why="Gestopt")
    with pytest.raises(ValidationError):
        sign(triad.current_agreement, Party.YOUTH, lead)


# --- Signing links (service) --------------------------------------------------------------------


def link_for(triad, lead, party=Party.JIM, email="wilma@example.org", **extra):
    return services.signing_link_send(
        agreement=triad.current_agreement, party=party, email=email, by=lead, **extra
    )


def test_sending_a_link_mails_a_personal_url_valid_for_seven_days(triad, lead, mailoutbox):
    link, url = link_for(triad, lead)
    assert len(sent()) == 1
    assert sent()[0].to == ["wilma@example.org"]
    assert url in sent()[0].body
    assert "/triads/sign/" in url
    assert link.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)
    assert link.expires_at - timezone.now() <= datetime.timedelta(days=7)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert services.signing_link_resolve(token) == link
    # The token names the link (and so the party and the version), signed with the secret key.
    data = signing.loads(token, salt=services.agreements.SIGNING_LINK_SALT)
    assert data == {"l": link.pk, "n": link.nonce}
    assert (link.party, link.agreement.version) == (Party.JIM, 1)


def test_signing_through_a_link_uses_it_up(triad, lead):
    _link, url = link_for(triad, lead)
    token = url.rstrip("/").rsplit("/", 1)[1]
    signature = services.signing_link_sign(token=token, typed_name="Wilma Janssens")
    assert (signature.party, signature.method, signature.user) == (Party.JIM, Method.LINK, None)
    assert signature.matches
    with pytest.raises(services.LinkError):
        services.signing_link_sign(token=token, typed_name="Wilma Janssens")
    assert Signature.objects.count() == 1


def test_a_parent_signing_through_a_link_gives_consent(triad, lead, parents):
    services.agreement_update(agreement=triad.current_agreement, by=lead, include_parents=True)
    _link, url = link_for(triad, lead, party=Party.PARENT, parent=parents[0], email="els@example.org")
    services.signing_link_sign(token=url.rstrip("/").rsplit("/", 1)[1], typed_name="Els Wouters")
    consent = selectors.current_consents(triad)[parents[0].pk]
    assert (consent.decision, consent.method) == (ConsentDecision.Decision.GIVEN, "link")
    assert consent.recorded_by == lead  # who sent the link; the parent has no account
    assert Signature.objects.get().parent == parents[0]


def test_the_last_signature_through_a_link_can_start_the_trial(triad, lead):
    give_all_consents(triad, lead)
    agreement = triad.current_agreement
    sign(agreement, Party.YOUTH, lead)
    sign(agreement, Party.PROFESSIONAL, lead, method=Method.LOGGED_IN, name="Lead Persoon")
    _link, url = link_for(triad, lead)
    services.signing_link_sign(token=url.rstrip("/").rsplit("/", 1)[1], typed_name="Wilma Janssens")
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL
    assert triad.history.last().by is None  # nobody logged in: the link did it


def test_a_link_for_a_parent_of_another_youth_is_refused(triad, lead, make_youth):
    (other,) = make_youth()
    parent = ParentGuardian.objects.create(youth=other, name="Ander Ouder", relation="mother")
    with pytest.raises(ValidationError):
        link_for(triad, lead, party=Party.PARENT, parent=parent)
    assert not SigningLink.objects.exists()


def test_no_link_for_a_superseded_version(started_triad, lead):
    old = started_triad.current_agreement
    services.agreement_new_version(triad=started_triad, by=lead)
    with pytest.raises(ValidationError):
        services.signing_link_send(agreement=old, party=Party.JIM, email="w@example.org", by=lead)
