"""The typed name as people type it (issue 21): a phone's curly apostrophe, dashes, quotes and spaces
compare like their plain forms; a missing or wrong letter does not; the professional's own name is
checked like everyone else's, on every signing path."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jimcase.models import ParentGuardian, Youth
from triads import rules, services
from triads.models import Party, Signature

Method = Signature.Method


@pytest.fixture
def sem(youth):
    """The cast's youth, renamed to a name with an apostrophe: "Sem D'Hooghe"."""
    Youth.objects.filter(pk=youth.pk).update(first_name="Sem", last_name="D'Hooghe")
    youth.refresh_from_db()
    return youth


@pytest.fixture
def sem_triad(sem, found_search, lead, parents):
    return services.triad_create(search=found_search, by=lead)


def sign_youth(agreement, lead, typed):
    return services.agreement_sign(
        agreement=agreement, party=Party.YOUTH, method=Method.IN_PERSON, typed_name=typed, user=lead
    )


# --- The rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Sem D\u2019Hooghe",  # ’ right single quotation mark: what every phone keyboard types
        "Sem D\u2018Hooghe",  # ‘ left single quotation mark
        "Sem D\u02bcHooghe",  # ʼ modifier letter apostrophe
        "Sem D\u00b4Hooghe",  # ´ acute accent typed as an apostrophe
        "Sem D`Hooghe",  # ` grave accent typed as an apostrophe
        "Sem D\uff07Hooghe",  # ＇ fullwidth apostrophe
        "Sem\u00a0D'Hooghe",  # non-breaking space
        "Sem\u202fD\u2019Hooghe",  # narrow no-break space
        "Sem\u2009D'Hooghe",  # thin space
        "  Sem    D'Hooghe ",  # several spaces
        "sem d'hooghe",
        "SEM D’HOOGHE",
        "sem dhooghe",  # the apostrophe left out: every letter is there
        "Sem D Hooghe",  # a space for the apostrophe
    ],
)
def test_apostrophe_and_space_variants_match_the_recorded_name(typed):
    assert rules.typed_name_matches(typed, "Sem D'Hooghe")


@pytest.mark.parametrize(
    "typed",
    [
        "Jean\u2010Pierre Van den Broeck",  # ‐ hyphen
        "Jean\u2011Pierre Van den Broeck",  # ‑ non-breaking hyphen
        "Jean\u2013Pierre Van den Broeck",  # – en dash
        "Jean\u2014Pierre Van den Broeck",  # — em dash
        "Jean\u2212Pierre Van den Broeck",  # − minus sign
        "Jean Pierre Van den Broeck",
        "jean-pierre vandenbroeck",
    ],
)
def test_dash_variants_match_the_recorded_name(typed):
    assert rules.typed_name_matches(typed, "Jean-Pierre Van den Broeck")


@pytest.mark.parametrize(
    "typed", ['Mohamed "Mo" El Amrani', "Mohamed \u201eMo\u201d El Amrani", "Mohamed Mo El Amrani"]
)
def test_quote_variants_match_the_recorded_name(typed):
    assert rules.typed_name_matches(typed, "Mohamed \u201cMo\u201d El Amrani")


@pytest.mark.parametrize(
    "typed, recorded",
    [("Zoe De Smet", "Zoë De Smet"), ("Soren Dahl", "Søren Dahl"), ("Lukasz Nowak", "Łukasz Nowak")],
)
def test_accents_aside(typed, recorded):
    assert rules.typed_name_matches(typed, recorded)


@pytest.mark.parametrize(
    "typed",
    ["Sem Hooghe", "Sem D'Hoghe", "Sem D'Hooghee", "Sam D'Hooghe", "Sem", "Sem D'Hooghe Jr", "Sem D'Hooghe!"],
)
def test_a_missing_or_different_letter_does_not_match(typed):
    assert not rules.typed_name_matches(typed, "Sem D'Hooghe")


def test_one_normalisation_for_every_variant():
    assert rules.name_key("Sem\u202fD\u2019Hooghe") == rules.name_key("sem d'hooghe") == "semdhooghe"


# --- Every signing path accepts the curly apostrophe ---------------------------------------------


def test_the_youth_signs_in_person_with_a_curly_apostrophe(sem_triad, lead):
    signature = sign_youth(sem_triad.current_agreement, lead, "Sem D\u2019Hooghe")
    # Kept as typed: the signature is what the person wrote.
    assert signature.typed_name == "Sem D\u2019Hooghe"


def test_the_youth_signs_in_person_on_the_professionals_screen(sem_triad, lead, login):
    client = login(lead)
    response = client.post(
        reverse("triads:sign_in_person", args=[sem_triad.pk]),
        {"signer": "youth", "typed_name": "Sem D\u2019Hooghe", "agree": "on", "witnessed": "on"},
    )
    assert response.status_code == 302
    assert Signature.objects.filter(agreement__triad=sem_triad, party=Party.YOUTH).exists()


def test_a_parent_signs_by_link_with_a_curly_apostrophe(sem_triad, lead, client):
    parent = ParentGuardian.objects.get(youth=sem_triad.youth, name="Els Wouters")
    ParentGuardian.objects.filter(pk=parent.pk).update(name="Els D'Hooghe")
    parent.refresh_from_db()
    agreement = sem_triad.current_agreement
    agreement.include_parents = True
    agreement.save(update_fields=["include_parents"])
    _link, url = services.signing_link_send(
        agreement=agreement, party=Party.PARENT, parent=parent, email=parent.email, by=lead
    )
    response = client.post(url.split("testserver", 1)[-1], {"typed_name": "els d\u2019hooghe", "agree": "on"})
    assert response.status_code == 200
    assert Signature.objects.filter(agreement=agreement, parent=parent, method=Method.LINK).exists()


def test_a_jim_with_an_apostrophe_signs_logged_in(sem_triad, jim):
    profile = sem_triad.jim_profile
    profile.name = "Wilma D'Haese"
    profile.save(update_fields=["name"])
    signature = services.agreement_sign(
        agreement=sem_triad.current_agreement,
        party=Party.JIM,
        method=Method.LOGGED_IN,
        typed_name="Wilma D\u2019Haese",
        user=jim,
    )
    assert signature.typed_name == "Wilma D\u2019Haese"


def test_a_wrong_letter_is_refused_with_the_recorded_name(sem_triad, lead):
    with pytest.raises(ValidationError) as error:
        sign_youth(sem_triad.current_agreement, lead, "Sem D\u2019Hoghe")
    assert "Sem D'Hooghe" in str(error.value.message_dict["typed_name"])
    assert not Signature.objects.exists()


# --- The professional's own name ---------------------------------------------------------------


def test_the_professional_signs_with_their_own_name(triad, lead):
    signature = services.agreement_sign(
        agreement=triad.current_agreement,
        party=Party.PROFESSIONAL,
        method=Method.LOGGED_IN,
        typed_name="lead persoon",
        user=lead,
    )
    assert signature.typed_name == "lead persoon"


@pytest.mark.parametrize("method", [Method.LOGGED_IN, Method.IN_PERSON])
def test_the_professionals_typed_name_is_checked(triad, lead, method):
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            agreement=triad.current_agreement,
            party=Party.PROFESSIONAL,
            method=method,
            typed_name="Lead Peersoon",
            user=lead,
        )
    assert "Lead Persoon" in str(error.value.message_dict["typed_name"])
    assert not Signature.objects.exists()


def test_the_professional_cannot_sign_without_an_account(triad):
    with pytest.raises(ValidationError):
        services.agreement_sign(
            agreement=triad.current_agreement,
            party=Party.PROFESSIONAL,
            method=Method.IN_PERSON,
            typed_name="Lead Persoon",
            user=None,
        )
    assert not Signature.objects.exists()


def test_a_misspelt_professional_name_is_refused_beside_the_field_in_dutch(triad, lead, login):
    client = login(lead)
    response = client.post(
        reverse("triads:sign_in_person", args=[triad.pk]),
        {"signer": "professional", "typed_name": "Lead Peersoon", "agree": "on"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["typed_name"] == ["Typ je eigen volledige naam zoals in je account: Lead Persoon."]
    assert not Signature.objects.exists()


def test_a_professional_without_first_and_last_name_types_their_display_name(triad, colleague, lead):
    from triads.tests.conftest import assign_backup

    assign_backup(triad.youth, colleague, lead)
    assert not colleague.get_full_name()
    with pytest.raises(ValidationError):
        services.agreement_sign(
            agreement=triad.current_agreement,
            party=Party.PROFESSIONAL,
            method=Method.LOGGED_IN,
            typed_name="Anna Peeterz",
            user=colleague,
        )
    services.agreement_sign(
        agreement=triad.current_agreement,
        party=Party.PROFESSIONAL,
        method=Method.LOGGED_IN,
        typed_name=str(colleague),
        user=colleague,
    )
