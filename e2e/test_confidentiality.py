"""Flow 4: confidentiality in the browser — a guessed URL shows the not-found page, nothing else."""

import pytest

from jimcase.models import Youth
from triads.models import Triad

pytestmark = pytest.mark.e2e


def test_professional_of_another_organisation_gets_not_found(demo, visit):
    lucas = Youth.objects.get(case_number="BRUG-2026-004")
    chris = visit("hv-chris")
    chris.login("hv.chris")
    for path in (
        f"/youths/{lucas.pk}/",
        f"/mentors/youth/{lucas.pk}/network/",
        f"/mentors/youth/{lucas.pk}/search/",
    ):
        response = chris.goto(path)
        assert response.status == 404
        text = chris.page.locator("body").inner_text()
        assert "Pagina niet gevonden" in text
        assert "Lucas" not in text and "Mertens" not in text
    chris.check("not-found")


def test_jim_cannot_open_another_jims_triad(demo, visit):
    wilma_triad = Triad.objects.get(
        jim_profile__user__username="jim.wilma", youth__case_number="BRUG-2026-004"
    )
    karel = visit("jim-karel", viewport={"width": 375, "height": 812})
    karel.login("jim.karel")
    for path in (
        f"/triads/mine/{wilma_triad.pk}/",
        f"/triads/{wilma_triad.pk}/",
        f"/youths/{wilma_triad.youth_id}/",
    ):
        response = karel.goto(path)
        assert response.status == 404
        text = karel.page.locator("body").inner_text()
        assert "Pagina niet gevonden" in text and "Lucas" not in text


def test_the_browser_tests_catch_what_the_csp_blocks(demo, visit):
    """The check every visitor runs on close sees a refused inline style (as line breaks vanished once)."""
    visitor = visit("csp-self-check")
    visitor.goto("/accounts/login/")
    visitor.page.evaluate("document.querySelector('main').setAttribute('style', 'white-space: pre-line')")
    visitor.page.wait_for_timeout(200)
    assert any("Content Security Policy" in error for error in visitor.console_errors)
    visitor.console_errors.clear()  # seen: the visitor closes clean
