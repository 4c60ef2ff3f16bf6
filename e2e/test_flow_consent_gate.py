"""Flow: hv.anna registers a 15-year-old without parents; the triad's start blocker says what is missing, and
goes once she records why nobody can decide (issue 21: an empty list of parents is never "in order")."""

import datetime
import re

import pytest
from django.utils import timezone

from jimcase.models import NobodyCanDecide, User, Youth
from triads.models import Triad
from triads.tests.conftest import make_found_search

pytestmark = pytest.mark.e2e

MISSING = "Er zijn nog geen ouders of voogd met ouderlijk gezag ingevuld"
IN_ORDER = "De toestemming is in orde om te starten"


def test_the_consent_blocker_for_a_minor_without_parents(demo, visit):
    anna = visit("hv-anna-consent")
    anna.login("hv.anna")

    # Register a 15-year-old: the next page asks for the parents, or why nobody can decide.
    anna.follow(anna.page.get_by_role("link", name="Een jongere aanmelden"))
    born = timezone.localdate().replace(day=1) - datetime.timedelta(days=15 * 366)
    anna.page.fill("#id_first_name", "Mila")
    anna.page.fill("#id_last_name", "Desmet")
    anna.page.fill("#id_date_of_birth", born.isoformat())
    anna.page.fill("#id_case_number", "BRUG-E2E-021")
    anna.submit()
    youth = Youth.objects.get(case_number="BRUG-E2E-021")
    assert anna.page.url.endswith(f"/youths/{youth.pk}/parents/add/")
    assert "Is er niemand die kan beslissen?" in anna.text()
    anna.check("consent-parents-asked")

    # She leaves it for now: the file says plainly what is missing.
    anna.goto(f"/youths/{youth.pk}/")
    assert MISSING in anna.text()
    anna.check("consent-file-missing")

    # The wie-vraag found Wilma (walked in the browser in flow 1; here through the services).
    search = make_found_search(youth, User.objects.get(username="hv.anna"), name="Wilma Janssens")

    # The triad is made; its start blockers say what is missing, never "in order".
    anna.goto(f"/triads/youth/{youth.pk}/search/{search.pk}/new/")
    anna.submit()
    triad = Triad.objects.get(youth=youth)
    assert anna.page.url.endswith(f"/triads/{triad.pk}/")
    blockers = anna.page.locator("section[aria-labelledby=h-start]")
    assert MISSING in blockers.inner_text()
    assert IN_ORDER not in anna.text()
    anna.check("consent-triad-blocked")

    # Nobody can decide: she records why, and is back on the triad.
    anna.follow(blockers.get_by_role("link", name="Niemand kan beslissen: noteer waarom"))
    anna.check("consent-nobody-form")
    anna.submit()  # nothing chosen: refused beside the fields
    assert "Dit veld is verplicht." in anna.text()
    assert not NobodyCanDecide.objects.filter(youth=youth).exists()
    anna.page.get_by_label("de ouders zijn onbekend of onbereikbaar").check()
    anna.page.fill("#id_explanation", "Vader onbekend; moeder sinds 2022 onbereikbaar volgens het OCMW.")
    anna.submit()
    assert anna.page.url.endswith(f"/triads/{triad.pk}/")
    text = anna.text()
    assert MISSING not in text
    assert "de ouders zijn onbekend of onbereikbaar" in text and "sinds 2022 onbereikbaar" in text
    assert re.search(r"genoteerd door Anna Peeters op \d\d-\d\d-\d{4}", text)
    assert IN_ORDER in text
    # Only the agreement stands between the triad and its trial now.
    assert anna.page.locator("section[aria-labelledby=h-start] li").all_inner_texts() == [
        "De huidige afspraken zijn nog niet door iedereen ondertekend."
    ]
    anna.check("consent-triad-nobody-can-decide")
