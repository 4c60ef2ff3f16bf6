"""A professional whose organisation asks for a second factor sets it up on her first login, on a phone."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from jimcase.models import Organisation

pytestmark = pytest.mark.e2e


def test_a_professional_sets_up_her_second_factor_and_keeps_her_recovery_codes(demo, visit):
    Organisation.objects.filter(users__username="hv.anna").update(second_factor_for_professionals=True)
    anna = visit("hv-anna-second-factor")
    anna.login("hv.anna")
    assert "/accounts/second-factor/setup/" in anna.page.url
    anna.check("second-factor-setup")
    # The QR code is an image inside the page; the key is there as text for typing it in instead.
    assert anna.page.locator("main img[src^='data:image/svg+xml']").is_visible()
    key = anna.page.locator("#second-factor-key").inner_text().replace(" ", "")
    anna.page.fill("#id_code", f"{totp(b32decode(key)):06d}")
    anna.follow(anna.page.locator("main form[method=post] button[type=submit]").first, "recovery-codes")
    codes = anna.page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    anna.follow(anna.page.locator("main a.btn-jim"))
    assert "/youths/caseload/" in anna.page.url
