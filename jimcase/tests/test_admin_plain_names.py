"""Names a coordinator types in the admin — a team, a topic, her organisation — are plain text like every typed
text in JIM (issue 20, hole 5): HTML is refused with the error beside the field, and nothing is saved."""

import re

import pytest
from django.urls import reverse

from jimcase.models import Organisation, Team
from mentors.models import Topic

MARKUP = "<img src=x onerror=alert(1)>Team"
ERROR = "Schrijf gewone tekst, zonder HTML."


def error_beside(html, field):
    """The errors Django's admin shows in the row of `field`."""
    row = re.search(rf'<div class="form-row[^"]*field-{field}[^"]*">.*?</div>\s*</div>', html, re.S)
    return row.group(0) if row else ""


def test_a_team_named_with_html_is_refused_beside_the_name(login, coordinator, organisation):
    response = login(coordinator).post(
        reverse("admin:jimcase_team_add"), {"organisation": organisation.pk, "name": MARKUP}
    )
    assert response.status_code == 200
    assert ERROR in error_beside(response.content.decode(), "name")
    assert not Team.objects.filter(name=MARKUP).exists()


def test_a_team_renamed_with_html_keeps_its_name(login, coordinator, team_a):
    url = reverse("admin:jimcase_team_change", args=[team_a.pk])
    response = login(coordinator).post(url, {"organisation": team_a.organisation_id, "name": "</b>Team A"})
    assert response.status_code == 200
    assert ERROR in error_beside(response.content.decode(), "name")
    team_a.refresh_from_db()
    assert team_a.name != "</b>Team A"


def test_a_topic_named_with_html_is_refused_beside_the_name(login, coordinator, organisation):
    response = login(coordinator).post(
        reverse("admin:mentors_topic_add"), {"organisation": organisation.pk, "name": "<b>Chiro</b>"}
    )
    assert response.status_code == 200
    assert ERROR in error_beside(response.content.decode(), "name")
    assert not Topic.objects.filter(name__contains="Chiro").exists()


def test_her_organisation_renamed_with_html_keeps_its_name(login, coordinator, organisation):
    url = reverse("admin:jimcase_organisation_change", args=[organisation.pk])
    data = {
        "name": "<script>alert(1)</script>",
        "jurisdiction": organisation.jurisdiction,
        "default_trial_days": organisation.default_trial_days,
    }
    response = login(coordinator).post(url, data)
    assert response.status_code == 200
    assert ERROR in error_beside(response.content.decode(), "name")
    assert Organisation.objects.get(pk=organisation.pk).name == "Jeugdhulp Test"


@pytest.mark.parametrize("name", ["Team Noord", "Jongeren < 16", "Kids & co", '=HYPERLINK("x")'])
def test_a_plain_name_is_still_accepted(name, login, coordinator, organisation):
    """Plain text may hold a "<" or an "=": only what looks like a tag is refused (the export makes "=" inert)."""
    response = login(coordinator).post(
        reverse("admin:jimcase_team_add"), {"organisation": organisation.pk, "name": name}
    )
    assert response.status_code == 302
    assert Team.objects.filter(organisation=organisation, name=name).exists()
