"""Signed text that agrees with itself (issue 21): every figure in an agreement's text comes from its fields.

The trial was changed to 60 days while the "Evaluatiemomenten" section still said "proefperiode van 90
dagen", and it was signed and printed that way. The default sections now name no figure a field holds (the
trial's length is printed from its field), and a section that states another length for the trial is
refused beside it — and a version that says two things cannot be signed.
"""

import datetime
import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from jimcase.rules import ADULT_AGE
from jimcase.validators import TRIAL_DAYS_MAX, TRIAL_DAYS_MIN
from triads import rules, services
from triads.models import Agreement, Party, Signature
from triads.tests.conftest import sign_all

#: Numbers the text may hold that are no figure of this agreement and cannot disagree with one: the
#: emergency number and the age of majority (a section is about it).
CONSTANTS = {112, ADULT_AGE}
SEED = 20260421


def numbers(text):
    return {int(n) for n in re.findall(r"\d+", text)}


def agreement_text(html):
    """The agreement as printed: the text block and the signatures, not the page around it (nor the hash)."""
    text = re.search(r'<div class="agreement-text">(.*?)</div>', html, re.S).group(1)
    signatures = re.search(r'<ul class="list-unstyled small">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", text + (signatures.group(1) if signatures else ""))


def field_numbers(agreement):
    """Every number the agreement's own fields put in its text: version, trial, phone, signing moments."""
    allowed = {agreement.version, agreement.trial_days} | numbers(agreement.fallback_phone)
    for signature in agreement.signatures.all():
        moment = timezone.localtime(signature.signed_at)
        allowed |= {moment.day, moment.month, moment.year, moment.hour, moment.minute}
    return allowed


def test_random_agreements_hold_no_number_but_their_fields(found_search, lead, parents, organisation, login):
    """Property-style, seeded: random default trial lengths, changed trial lengths, versions and signing dates."""
    rng = random.Random(SEED)
    client = login(lead)
    with translation.override("nl-be"):
        organisation.default_trial_days = rng.randint(TRIAL_DAYS_MIN, TRIAL_DAYS_MAX)
        organisation.save(update_fields=["default_trial_days"])
        triad = services.triad_create(search=found_search, by=lead)
        for _round in range(12):
            agreement = triad.current_agreement
            services.agreement_change(
                triad=triad, by=lead, trial_days=rng.randint(TRIAL_DAYS_MIN, TRIAL_DAYS_MAX)
            )
            agreement = triad.current_agreement
            sign_all(agreement, lead)
            signed_at = timezone.make_aware(
                datetime.datetime(
                    rng.randint(2020, 2030),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                    rng.randint(0, 23),
                    rng.randint(0, 59),
                )
            )
            Signature.objects.filter(agreement=agreement).update(signed_at=signed_at)
            agreement.refresh_from_db()
            html = client.get(
                reverse("triads:agreement_print", args=[triad.pk, agreement.version])
            ).content.decode()
            text = agreement_text(html)
            assert f"{agreement.trial_days} dagen" in text
            assert numbers(text) <= field_numbers(agreement) | CONSTANTS, text
            # The next round changes the signed version: a new version that names its own trial only.
            services.agreement_change(triad=triad, by=lead, meeting=f"Elke week, ronde {'x' * (_round + 1)}.")


def test_the_default_evaluation_section_names_no_trial_length(found_search, lead, parents, organisation):
    organisation.default_trial_days = 77
    organisation.save(update_fields=["default_trial_days"])
    with translation.override("nl-be"):
        triad = services.triad_create(search=found_search, by=lead)
    agreement = triad.current_agreement
    assert agreement.trial_days == 77
    assert not re.search(r"\d", agreement.evaluation)
    assert "proefperiode" in agreement.evaluation


def test_changing_the_trial_length_keeps_the_text_in_step(triad, lead, login):
    """The reported case: 90 days changed to 60, the evaluation section must not still say 90."""
    services.agreement_change(triad=triad, by=lead, trial_days=60)
    agreement = triad.current_agreement
    assert agreement.trial_days == 60
    assert "90" not in agreement.canonical_text().replace("trial_days=60", "")
    html = login(lead).get(reverse("triads:agreement_print", args=[triad.pk, 1])).content.decode()
    assert "90" not in agreement_text(html)
    assert "60 dagen" in agreement_text(html)


# --- A section that states another length for the trial -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We starten met een proefperiode van 90 dagen en evalueren samen op het einde ervan.",
        "De proefperiode duurt drie maanden.",
        "We beginnen met 12 weken proef.",
        "We start with a trial period of 90 days.",
    ],
)
def test_a_section_that_gives_the_trial_another_length_is_refused_beside_it(triad, lead, text):
    with pytest.raises(ValidationError) as error:
        services.agreement_change(triad=triad, by=lead, trial_days=60, evaluation=text)
    assert "60" in str(error.value.message_dict["evaluation"])
    assert triad.current_agreement.trial_days != 60


@pytest.mark.parametrize(
    "text",
    [
        "We starten met een proefperiode van 60 dagen.",  # the field's own length
        "Na de proefperiode evalueren we samen, en daarna om de drie maanden.",  # not the trial's length
        "We zien elkaar om de 14 dagen.",
    ],
)
def test_other_figures_and_the_fields_own_length_pass(triad, lead, text):
    services.agreement_change(triad=triad, by=lead, trial_days=60, evaluation=text)
    assert triad.current_agreement.evaluation == text


def test_the_contradiction_shows_in_dutch_beside_the_field_and_nothing_is_saved(triad, lead, login):
    agreement = triad.current_agreement
    data = {name: getattr(agreement, name) for name in rules.AGREEMENT_FIELDS if name != "include_parents"}
    data.update(
        trial_days=60,
        evaluation="We starten met een proefperiode van 90 dagen.",
        edit_version=agreement.edit_version,
    )
    response = login(lead).post(reverse("triads:agreement_edit", args=[triad.pk]), data)
    assert response.status_code == 200
    [message] = response.context["form"].errors["evaluation"]
    assert message.startswith(
        "Deze tekst noemt een proefperiode van 90 dagen, maar de proefperiode is 60 dagen"
    )
    agreement.refresh_from_db()
    assert agreement.trial_days != 60


def test_a_version_that_says_two_things_cannot_be_signed(triad, lead):
    """A draft written before the rule (the old default text, the trial changed since) is not signed as it is."""
    Agreement.objects.filter(pk=triad.current_agreement.pk).update(
        trial_days=60, evaluation="We starten met een proefperiode van 90 dagen."
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(
            agreement=triad.current_agreement,
            party=Party.YOUTH,
            method=Signature.Method.IN_PERSON,
            typed_name="Lotte Vermeulen",
            user=lead,
        )
    assert "90" in " ".join(error.value.messages)
    assert not Signature.objects.exists()
