"""Flow: a name typed on a phone — the curly apostrophe every phone keyboard types — signs (issue 21).

Lucas's mother is "Ann D'Hooghe" in the file; on her phone she types "Ann D’Hooghe" through her signing
link. His father, "Koen D'Hooghe-Mertens", signs in person on hv.anna's phone-width screen, typing a curly
apostrophe and an en dash. Both are accepted; a missing letter is refused beside the field. Every page is
checked with axe.
"""

import re

import pytest

from jimcase.models import ParentGuardian, User
from jimcase.tests.mail import sent
from triads import services
from triads.models import Party, Signature, Triad

PHONE = {"width": 375, "height": 812}  # as the JIM flows: a phone

pytestmark = pytest.mark.e2e


def test_parents_sign_with_a_curly_apostrophe_on_a_phone(demo, visit):
    anna = User.objects.get(username="hv.anna")
    triad = Triad.objects.get(jim_profile__user__username="jim.wilma", youth__case_number="BRUG-2026-004")
    ann = ParentGuardian.objects.get(youth=triad.youth, name="Ann Mertens")
    koen = ParentGuardian.objects.get(youth=triad.youth, name="Koen Mertens")
    ParentGuardian.objects.filter(pk=ann.pk).update(name="Ann D'Hooghe")
    ParentGuardian.objects.filter(pk=koen.pk).update(name="Koen D'Hooghe-Mertens")
    # The parents sign this version too: a new version, sent to the mother by link.
    new = services.agreement_new_version(triad=triad, by=anna, include_parents=True)
    services.signing_link_send(
        agreement=new,
        party=Party.PARENT,
        parent=ParentGuardian.objects.get(pk=ann.pk),
        email="ann@example.org",
        by=anna,
    )
    link = re.search(r"https?://\S+/triads/sign/\S+/", sent()[-1].body).group(0)

    # 1. The mother, on her phone, through the link: a letter missing is refused beside the field...
    mother = visit("parent-curly", viewport=PHONE)
    mother.goto("/triads/" + link.split("/triads/", 1)[1])
    mother.page.fill("#id_typed_name", "Ann D\u2019Hoghe")
    mother.page.check("#id_agree")
    mother.submit()
    assert "Typ de volledige naam zoals in het dossier: Ann D'Hooghe." in mother.text()
    # ... the curly apostrophe her keyboard types is not.
    mother.page.fill("#id_typed_name", "Ann D\u2019Hooghe")
    mother.page.check("#id_agree")
    mother.check("sign-link-curly")
    mother.submit()
    assert "Dankjewel om te ondertekenen" in mother.text()

    # 2. The father, in person on the professional's phone-width screen: curly apostrophe and an en dash.
    screen = visit("hv-anna-phone", viewport=PHONE)
    screen.login("hv.anna")
    screen.goto(f"/triads/{triad.pk}/sign/")
    option = screen.page.locator("#id_signer option", has_text="Koen D'Hooghe-Mertens").first
    screen.page.select_option("#id_signer", option.get_attribute("value"))
    screen.page.fill("#id_typed_name", "Koen D\u2019Hooghe\u2013Mertens")
    screen.page.check("#id_agree")
    screen.page.check("#id_witnessed")
    screen.check("sign-in-person-curly")
    screen.submit()
    assert f"/triads/{triad.pk}/" in screen.page.url

    typed = dict(
        Signature.objects.filter(agreement=new, party=Party.PARENT).values_list("parent__name", "typed_name")
    )
    assert typed == {
        "Ann D'Hooghe": "Ann D\u2019Hooghe",
        "Koen D'Hooghe-Mertens": "Koen D\u2019Hooghe\u2013Mertens",
    }
    # The printed agreement shows each signature as it was typed.
    screen.goto(f"/triads/{triad.pk}/agreement/v{new.version}/print/")
    assert "Ann D\u2019Hooghe" in screen.text() and "Koen D\u2019Hooghe\u2013Mertens" in screen.text()
