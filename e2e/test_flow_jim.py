"""Flow 2: jim.wilma on a phone — signs by link, chooses a password, and uses "Mijn triade"."""

import datetime
import re

import pytest
from django.utils import timezone

from jimcase import services as case_services
from jimcase.models import User
from jimcase.tests.mail import sent
from mentors.models import Search
from triads import services
from triads.models import EvaluationView, Party, Signature, Triad

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Wilma-kiest-2026!"


def _path(body, marker):
    url = re.search(rf"https?://\S+{marker}\S*", body).group(0)
    return "/" + url.split("/", 3)[3]


def test_jim_signs_chooses_a_password_and_uses_her_page(demo, visit):
    anna = User.objects.get(username="hv.anna")
    triad = Triad.objects.get(jim_profile__user__username="jim.wilma", youth__case_number="BRUG-2026-004")
    # The triad adjusts its agreement; the professional sends the JIM a signing link and a password link.
    new = services.agreement_new_version(
        triad=triad, by=anna, meeting="Om de week op zaterdag, samen fietsen."
    )
    for party, name in ((Party.YOUTH, "Lucas Mertens"), (Party.PROFESSIONAL, "Anna Peeters")):
        services.agreement_sign(
            agreement=new, party=party, method=Signature.Method.IN_PERSON, typed_name=name, user=anna
        )
    services.signing_link_send(agreement=new, party=Party.JIM, email="wilma@example.org", by=anna)
    services.jim_password_link_send(jim_profile=triad.jim_profile, by=anna)
    sign_path = _path(sent()[0].body, "/triads/sign/")
    password_path = _path(sent()[1].body, "/accounts/reset/")
    sent().clear()

    wilma = visit("jim-wilma", viewport={"width": 375, "height": 812})
    # 1. The signing link: only the agreement, then sign.
    wilma.goto(sign_path)
    assert "Om de week op zaterdag" in wilma.text()
    assert "Ann Mertens" not in wilma.text()
    wilma.page.fill("#id_typed_name", "Wilma Janssens")
    wilma.page.check("#id_agree")
    wilma.check("sign-link")
    wilma.submit()
    assert "Dankjewel om te ondertekenen" in wilma.text()

    # 2. Choose a password from the e-mail.
    wilma.goto(password_path)
    wilma.page.fill("#id_new_password1", NEW_PASSWORD)
    wilma.page.fill("#id_new_password2", NEW_PASSWORD)
    wilma.check("choose-password")
    wilma.submit()
    assert "Je nieuwe wachtwoord is bewaard" in wilma.text()

    # 3. Log in and land on "Mijn triade".
    wilma.login("jim.wilma", NEW_PASSWORD)
    wilma_user = User.objects.get(username="jim.wilma")
    assert "/triads/mine/" in wilma.page.url
    page_text = wilma.text()
    assert "Lucas" in page_text and "Mertens" not in page_text
    wilma.check("mijn-triade")

    # 4. Tap the fallback professional's phone number.
    call = wilma.page.locator("a[href^='tel:']").first
    assert call.get_attribute("href") == "tel:" + anna.phone.replace(" ", "")
    # The phone's dialer is outside the browser: catch the tap and read where it would dial.
    wilma.page.evaluate(
        "document.querySelectorAll(\"a[href^='tel:']\").forEach(a => a.addEventListener('click', e => "
        "{ window.dialled = a.getAttribute('href'); e.preventDefault(); }))"
    )
    call.tap() if wilma.context_has_touch else call.click()
    assert wilma.page.evaluate("window.dialled") == "tel:" + anna.phone.replace(" ", "")

    # 5. "Denk even mee".
    wilma.follow(wilma.page.get_by_role("link", name="Schrijf een berichtje"))
    wilma.page.fill("#id_message", "Lucas wil stoppen met school. Kan je even meedenken?")
    wilma.page.locator("label[for=id_urgent]").click()
    assert wilma.page.is_checked("#id_urgent")
    wilma.check("ask")
    wilma.submit()
    assert "Wacht op antwoord" in wilma.page.locator("body").inner_text()
    assert [m.to for m in sent()] == [[anna.email]]

    # 6. A private log entry: three taps and one sentence.
    wilma.goto(f"/triads/mine/{triad.pk}/")
    wilma.follow(wilma.page.get_by_role("link", name=re.compile("Mijn logboek")))
    wilma.page.locator("label", has_text=re.compile("telefoon", re.I)).first.click()
    wilma.page.fill("#id_text", "Lang gebeld over school, hij klonk opgelucht.")
    wilma.check("log")
    wilma.submit()
    assert "Lang gebeld over school" in wilma.text()

    # 7. Before the evaluation at the end of the trial: three short questions, on her phone.
    wilma.goto(f"/triads/mine/{triad.pk}/")
    wilma.follow(
        wilma.page.locator(
            "main a", has_text=re.compile("Drie vragen beantwoorden|Mijn antwoorden aanpassen")
        ),
        "jim-three-questions",
    )
    wilma.page.locator("label[for=id_score_3]").click()  # the fourth of five: 4
    wilma.page.fill("#id_goes_well", "We fietsen elke zaterdag samen.")
    wilma.page.fill("#id_would_help", "Meer tijd voor huiswerk.")
    wilma.submit()
    assert f"/triads/mine/{triad.pk}/" in wilma.page.url
    assert "Mijn antwoorden aanpassen" in wilma.text()
    view = EvaluationView.objects.get(check_in__triad=triad, check_in__done_on__isnull=True, party="jim")
    assert (view.score, view.goes_well) == (4, "We fietsen elke zaterdag samen.")

    # 8. Wilma is also the JIM of Lucas's cousin Noor: the new triad joins her account, an e-mail says so.
    cousin = case_services.youth_register(
        by=anna,
        organisation=anna.organisation,
        team=triad.youth.team,
        first_name="Noor",
        last_name="Mertens-Peeters",
        case_number="BRUG-2026-090",
        date_of_birth=datetime.date(2011, 3, 4),
        referral_date=timezone.localdate(),
    )
    today = timezone.localdate()
    found = Search.objects.create(
        youth=cousin,
        status=Search.Status.FOUND,
        started_on=today - datetime.timedelta(days=12),
        started_by=anna,
        ended_on=today,
        ended_by=anna,
        days_to_nomination=12,
        jim_profile=triad.jim_profile,
    )
    sent().clear()
    second = services.triad_create(search=found, by=anna)
    assert [m.to for m in sent()] == [[wilma_user.email]]
    assert "ook de JIM van Noor" in sent()[0].body

    # 9. Her page now lists both; each triad's page shows one youth only.
    wilma.goto("/triads/mine/")
    wilma.check("mijn-triades")
    links = wilma.page.locator("main a.btn", has_text="Met ")
    assert sorted(links.all_inner_texts()) == ["Met Lucas", "Met Noor"]
    wilma.follow(links.filter(has_text="Met Noor"), "mijn-triade-noor")
    assert f"/triads/mine/{second.pk}/" in wilma.page.url
    page_text = wilma.text()
    assert "Noor" in page_text and "Lucas" not in page_text and "Mertens" not in page_text

    # 10. The JIM's guide: what a JIM is, whom to call for each youth, 112; she confirms reading it.
    wilma.follow(wilma.page.get_by_role("link", name="Lees wat een JIM doet"), "jim-gids")
    guide = wilma.text()
    assert (
        "Je bent geen hulpverlener" in guide and "Voor Lucas: Anna Peeters" in guide and "Voor Noor" in guide
    )
    wilma.submit("Ik heb dit gelezen")
    assert "Lees wat een JIM doet" not in wilma.text()
