"""Flow 3: coord.dana finds a youth's status in the admin without seeing confidential text."""

import pathlib

import pytest

pytestmark = pytest.mark.e2e


def test_coordinator_finds_status_but_no_confidential_text(demo, visit):
    dana = visit("coord-dana")
    dana.login("coord.dana")
    # A coordinator's password is not enough: the admin comes after the code from her authenticator app.
    assert "/accounts/second-factor/verify/" in dana.page.url
    dana.goto("/admin/")
    assert "/accounts/second-factor/verify/" in dana.page.url
    dana.pass_second_factor()
    assert "/admin/" in dana.page.url
    dana.check("admin")
    dana.follow(dana.page.get_by_role("link", name="Jongeren").first)
    dana.page.fill("#searchbar", "BRUG-2026-002")
    dana.follow(dana.page.locator("#changelist-search input[type=submit]"), "admin-youths")
    listing = dana.page.locator("#result_list").inner_text()
    assert "Milan" in listing and "zoektocht loopt" in listing
    assert "Jacobs" not in listing  # first name and case number only
    dana.follow(dana.page.locator("#result_list a", has_text="BRUG-2026-002"), "admin-youth")
    body = dana.page.locator("body").inner_text()
    assert "zoektocht loopt" in body
    for confidential in ("Eerste gesprek", "Sofie Jacobs"):  # a note, a parent
        assert confidential not in body
    # Triads: status and dates, not the agreement.
    dana.goto("/admin/triads/triad/")
    triads = dana.page.locator("#result_list").inner_text()
    assert "BRUG-2026-004" in triads and "proefperiode" in triads
    dana.follow(dana.page.locator("#result_list a", has_text="BRUG-2026-004"))
    body = dana.page.locator("body").inner_text()
    assert "proefperiode" in body
    assert "Wat de jongere aan de JIM vertelt" not in body
    # Another organisation's youths are not there.
    dana.goto("/admin/jimcase/youth/?q=BAKEN")
    assert "BAKEN-2026" not in dana.page.locator("body").inner_text()


def test_coordinator_reads_the_reports_and_exports_them(demo, visit):
    """Issue 13: coord.dana finds the reports in the admin, reads the wie-vraag beside the YIM study,
    exports it, and reads the triads report — figures only, every page accessible."""
    dana = visit("coord-dana-reports")
    dana.login("coord.dana")
    dana.pass_second_factor()
    dana.follow(dana.page.locator("#content-main a", has_text="Rapporten").first, "admin-reports")
    dana.follow(dana.page.locator("#content a", has_text="De wie-vraag").first, "report-funnel")
    body = dana.page.locator("#content").inner_text()
    assert "Vergeleken met de YIM-studie" in body
    assert "83" in body and "33" in body  # the study's share and days, beside this organisation's
    assert dana.page.locator("svg[role=img] title").count() >= 2  # the charts say what they show
    for confidential in ("Jacobs", "Eerste gesprek"):  # a family name, a note
        assert confidential not in body
    with dana.page.expect_download() as download:
        dana.page.get_by_role("link", name="Exporteer (CSV)").click()
    data = pathlib.Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
    dana.goto("/admin/reports/")
    dana.follow(dana.page.locator("#content a", has_text="Triades: lopend").first, "report-triads")
    assert "Triade" in dana.page.locator("#content").inner_text()
