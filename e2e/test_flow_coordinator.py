"""Flow 3: coord.dana finds a youth's status in the admin without seeing confidential text."""

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
