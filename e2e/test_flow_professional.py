"""Flow 1: hv.anna on a laptop, from a new youth to a triad whose trial starts."""

import re

import pytest

from jimcase.tests.mail import sent

pytestmark = pytest.mark.e2e

NETWORK = [
    # name, relation, closeness, adult
    ("Wilma Janssens", "family_friend", "close", "true"),
    ("Oma Jeanne", "grandparent", "close", "true"),
    ("Tante Ilse", "aunt_uncle", "middle", "true"),
    ("Coach Mehdi", "coach", "middle", "true"),
    ("Juf Sarah", "teacher", "further", "true"),
    ("Buurman Jos", "neighbour", "further", "true"),
]


def _pk(url, after):
    return int(re.search(rf"{after}/(\d+)/", url).group(1))


def test_professional_registers_a_youth_and_starts_a_triad(demo, visit):
    anna = visit("hv-anna")
    anna.login("hv.anna")
    assert "Mijn caseload" in anna.text()
    anna.check("caseload")

    # Register a youth.
    anna.follow(anna.page.get_by_role("link", name="Een jongere aanmelden"), "youth-new")
    anna.page.fill("#id_first_name", "Emma")
    anna.page.fill("#id_last_name", "Verstraete")
    anna.page.fill("#id_date_of_birth", "2011-06-15")
    anna.page.fill("#id_case_number", "BRUG-E2E-001")
    anna.submit()
    assert "De jongere is aangemeld" in anna.page.locator("body").inner_text()
    youth_pk = _pk(anna.page.url, "youths")

    # Parents: a minor's registration goes on to "add a parent or guardian" (issue 21).
    assert anna.page.url.endswith(f"/youths/{youth_pk}/parents/add/")
    for name, relation in (("Katrien Verstraete", "mother"), ("Pieter Verstraete", "father")):
        if name != "Katrien Verstraete":
            anna.follow(anna.page.get_by_role("link", name="Een ouder of voogd toevoegen"))
        anna.page.fill("#id_name", name)
        anna.page.select_option("#id_relation", relation)
        anna.page.fill("#id_email", f"{name.split()[0].lower()}@example.org")
        anna.submit()
        assert name in anna.text()
    anna.check("youth-file-parents")

    # Six people in the network, then the map.
    for name, relation, closeness, adult in NETWORK:
        anna.goto(f"/mentors/youth/{youth_pk}/network/add/")
        anna.page.fill("#id_name", name)
        anna.page.select_option("#id_relation", relation)
        anna.page.select_option("#id_closeness", closeness)
        anna.page.select_option("#id_is_adult", adult)
        anna.page.fill("#id_phone", "+32 470 11 22 33")
        anna.submit()
    anna.goto(f"/mentors/youth/{youth_pk}/network/")
    svg = anna.page.locator("svg").first
    for name, *_rest in NETWORK:
        assert svg.get_by_text(name).count() >= 1
    anna.check("network-map")

    # The wie-vraag.
    anna.goto(f"/mentors/youth/{youth_pk}/search/")
    anna.follow(anna.page.locator("main").get_by_role("link", name="De zoektocht starten"))
    anna.submit()
    assert "zoektocht loopt" in anna.text()
    anna.check("search")
    search_pk = _pk(anna.page.content(), "search")

    # Two candidates: Wilma (first choice) and Oma Jeanne.
    for name in ("Wilma Janssens", "Oma Jeanne"):
        anna.goto(f"/mentors/youth/{youth_pk}/search/{search_pk}/candidates/add/")
        option = anna.page.locator("#id_member option", has_text=name).first
        anna.page.select_option("#id_member", option.get_attribute("value"))
        anna.submit()
    candidate_links = anna.page.locator("main a", has_text="Screening")
    assert candidate_links.count() == 2

    # Wilma: along the statuses to "said yes".
    wilma = anna.page.locator("main li, main .candidate").filter(has_text="Wilma Janssens").first
    wilma_pk = _pk(wilma.locator("a", has_text="Status").get_attribute("href"), "candidates")
    for status in ("discussed", "asked", "yes"):
        anna.goto(f"/mentors/youth/{youth_pk}/candidates/{wilma_pk}/status/")
        anna.page.check(f"input[name=to][value={status}]")
        anna.submit()

    # Screening: all met, except "no paid involvement" — that needs a justification first.
    anna.goto(f"/mentors/youth/{youth_pk}/candidates/{wilma_pk}/screening/")
    for radio in anna.page.locator("input[type=radio][value=met]").all():
        radio.check()
    anna.page.check("input[name=no_paid_involvement_result][value=not_met]")
    anna.check("screening")
    anna.submit()
    # Refused where it is entered (issue 14): the page stays, the error stands beside the justification.
    assert "schriftelijk verantwoorden" in anna.text()
    anna.page.fill(
        "textarea[name=no_paid_involvement_justification]",
        "Wilma was twee jaar geleden begeleider in de naschoolse opvang; Emma kiest haar bewust en het contact is nu vrijwillig.",
    )
    anna.submit()

    # The criminal-record extract (De Brug requires it), then the youth's choice.
    anna.goto(f"/mentors/youth/{youth_pk}/candidates/{wilma_pk}/record-check/")
    anna.page.check("input[name=kind][value=model_2]")
    anna.page.fill("#id_issued_on", "2026-10-01")
    anna.page.fill("#id_checked_on", "2026-10-05")
    anna.submit()
    anna.goto(f"/mentors/youth/{youth_pk}/candidates/{wilma_pk}/choose/")
    anna.page.check("main input[type=checkbox]")
    anna.submit()
    assert "JIM gevonden" in anna.text()
    anna.check("jim-chosen")

    # Triad draft.
    anna.follow(anna.page.get_by_role("link", name="Naar de triade"))
    anna.submit()
    assert "ontwerp" in anna.text()
    triad_pk = _pk(anna.page.url, "triads")
    anna.check("triad-draft")

    # Fill the agreement.
    anna.follow(anna.page.get_by_role("link", name="Bewerken").first)
    anna.page.fill("#id_meeting", "Elke woensdagnamiddag, meestal in de bib of bij Wilma thuis.")
    anna.submit()
    assert "Elke woensdagnamiddag" in anna.text()

    # Sign in person: the youth, then the professional.
    for signer, typed in (("youth", "Emma Verstraete"), ("professional", "Anna Peeters")):
        anna.goto(f"/triads/{triad_pk}/sign/")
        anna.page.select_option("#id_signer", signer)
        anna.page.fill("#id_typed_name", typed)
        anna.page.check("#id_agree")
        if signer != "professional":
            anna.page.check("#id_witnessed")
        anna.check("sign-in-person")
        anna.submit()
    assert "Emma Verstraete" in anna.text()

    # A signing link for the JIM, read from the outbox.
    sent().clear()
    anna.goto(f"/triads/{triad_pk}/links/new/")
    anna.page.fill("#id_email", "wilma@example.org")
    anna.submit()
    link = re.search(r"https?://\S+/triads/sign/\S+/", sent()[-1].body).group(0)
    path = link.split("/triads/", 1)[1]

    jim = visit("jim-link", viewport={"width": 375, "height": 812})
    jim.goto("/triads/" + path)
    assert "Elke woensdagnamiddag" in jim.text()
    assert "Katrien" not in jim.text()  # nothing else of the youth: not the parents
    jim.page.fill("#id_typed_name", "Wilma Janssens")
    jim.page.check("#id_agree")
    jim.check("sign-link")
    jim.submit()
    assert "Dankjewel om te ondertekenen" in jim.text()

    # Parental consent from both parents: the trial starts.
    for parent in ("Katrien Verstraete", "Pieter Verstraete"):
        anna.goto(f"/triads/{triad_pk}/consent/")
        option = anna.page.locator("#id_parent option", has_text=parent).first
        anna.page.select_option("#id_parent", option.get_attribute("value"))
        anna.page.select_option("#id_decision", "given")
        anna.page.select_option("#id_method", "writing")
        anna.check("consent")
        anna.submit()
    anna.goto(f"/triads/{triad_pk}/")
    assert "proefperiode" in anna.page.locator(".triad-status").inner_text()
    assert "ondertekend, ongewijzigd" in anna.text()
    anna.check("triad-trial")
