from triads.models import Triad
from triads.tests.conftest import give_all_consents, sign_all


def test_smoke_flow(triad, lead, jim, login):
    assert triad.status == "draft"
    agreement = triad.current_agreement
    sign_all(agreement, lead)
    triad.refresh_from_db()
    assert triad.status == "draft"
    give_all_consents(triad, lead)
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL
    client = login(lead)
    html = client.get(f"/triads/{triad.pk}/").content.decode()
    assert "signed, unchanged" in html or "ondertekend, ongewijzigd" in html
    for url in [
        f"/triads/{triad.pk}/agreement/",
        f"/triads/{triad.pk}/agreement/v1/print/",
        f"/triads/{triad.pk}/sign/",
        f"/triads/{triad.pk}/links/new/",
        f"/triads/{triad.pk}/consent/",
        f"/youths/{triad.youth_id}/",
    ]:
        assert client.get(url).status_code == 200, url
    client.logout()
    c2 = login(jim)
    r = c2.get("/triads/mine/", follow=True)
    assert "Lotte" in r.content.decode()
