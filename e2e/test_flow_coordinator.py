"""Flow 3: coord.dana finds a youth's status in the admin without seeing confidential text."""

import pathlib

import pytest

pytestmark = pytest.mark.e2e


def test_coordinator_finds_status_but_no_confidential_text(demo, visit):
    dana = visit("coord-dana")
    # Logged out, /admin/ leads to the one login page (it was a server error), and back to the admin.
    dana.goto("/admin/")
    assert "/accounts/login/" in dana.page.url and "next=/admin/" in dana.page.url
    dana.log_in_here("coord.dana")
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


#: Each report, from the index: its link text, a table and a row of it that the demo's year of history fills
#: with a real number (5 or more, not "< 5"), and a screenshot name.
REPORT_FIGURES = [
    ("De wie-vraag", "Van aanmelding tot een actieve triade", "Jongeren aangemeld", "report-funnel"),
    ("Triades: lopend", "Beslissingen op evaluaties in de periode", "Verder", "report-triads"),
    ("Uitkomsten", "Doelen bereikt bij de afsluiting", "Triades beëindigd in de periode", "report-outcomes"),
    (
        "Opvolging",
        "Vragen aan de terugvalhulpverlener behandeld in de periode",
        "Behandelde vragen",
        "report-followup",
    ),
    (
        "Toestemming",
        "Triades met een beslissing over toestemming in de periode",
        "Toestemming gegeven",
        "report-consent",
    ),
    (
        "Capaciteit",
        "De JIM's van de triades die in de periode liepen",
        "Triades die in de periode liepen",
        "report-capacity",
    ),
]


def figure(page, caption, label):
    """The value in the report table with this caption, on the row with this label."""
    table = page.locator("table.report-table", has=page.locator("caption", has_text=caption))
    return table.locator("tr", has=page.locator("th", has_text=label)).first.locator("td").first.inner_text()


def test_coordinator_reads_the_reports_and_exports_them(demo, visit):
    """Issue 13: coord.dana finds every report in the admin, reads the wie-vraag beside the YIM study and a
    real figure in each report (the demo's year of history), exports as CSV and XLSX; figures only, every
    page accessible."""
    dana = visit("coord-dana-reports")
    dana.login("coord.dana")
    dana.pass_second_factor()
    dana.follow(dana.page.locator("#content-main a", has_text="Rapporten").first, "admin-reports")
    for link, caption, label, shot in REPORT_FIGURES:
        dana.goto("/admin/reports/")
        dana.follow(dana.page.locator("#content a", has_text=link).first, shot)
        value = figure(dana.page, caption, label)
        assert value.isdigit() and int(value) >= 5, (link, label, value)
        assert (
            dana.page.locator("svg[role=img] title").count() >= 1
        )  # each report has a chart that says what it shows
        body = dana.page.locator("#content").inner_text()
        for confidential in ("Jacobs", "Eerste gesprek"):  # a family name, a note
            assert confidential not in body

    dana.goto("/admin/reports/")
    dana.follow(dana.page.locator("#content a", has_text="De wie-vraag").first)
    body = dana.page.locator("#content").inner_text()
    assert "Vergeleken met de YIM-studie" in body
    assert "83" in body and "33" in body  # the study's share and days, beside this organisation's
    share = figure(dana.page, "Zoektochten gestart in de periode en afgerond", "Aandeel met een JIM")
    assert share.endswith("%"), share
    with dana.page.expect_download() as download:
        dana.page.get_by_role("link", name="Exporteer (CSV)").click()
    data = pathlib.Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
    assert b"Jongeren aangemeld" in data
    with dana.page.expect_download() as download:
        dana.page.get_by_role("link", name="Exporteer (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert pathlib.Path(download.value.path()).read_bytes().startswith(b"PK")  # a zip: the XLSX container
