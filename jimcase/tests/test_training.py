"""A professional's JIM training (issue 14): a coordinator records it on the person's admin page, for her own
organisation only; the caseload reminds an untrained professional, without a query of its own."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jimcase import services
from jimcase.models import Training, User
from jimcase.tests import clock
from jimcase.tests.html import visible_text, without_tokens
from jimcase.tests.stale import admin_opened
from jimcase.tests.test_admin_accounts import user_form

HINT = "Er staat nog geen JIM-opleiding op jouw naam. Vraag je coördinator naar de volgende opleiding."
TODAY = clock.TODAY  # the day the autouse `today` fixture travels to


def record(
    user, by, kind=Training.Kind.METHOD, completed_on=datetime.date(2026, 3, 6), provider="JIM-opleiders"
):
    return services.training_save(
        training=Training(user=user, kind=kind, completed_on=completed_on, provider=provider), by=by
    )


def training_rows(*rows, initial=0):
    """The trainings inline of the user form, as the browser posts it: `rows` are dicts of field values."""
    data = {"trainings-TOTAL_FORMS": str(len(rows)), "trainings-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        data.update({f"trainings-{i}-{name}": value for name, value in row.items()})
    return data


def post_training(client, user, **row):
    url = reverse("admin:jimcase_user_change", args=[user.pk])
    values = {"kind": "method", "completed_on": "06-03-2026", "provider": "JIM-opleiders", "user": user.pk}
    return client.post(url, user_form(user, **training_rows({**values, **row})) | admin_opened(client, url))


# --- Recording it in the admin ---------------------------------------------------------------------


def test_a_coordinator_records_a_training_on_the_persons_page(login, coordinator, lead):
    client = login(coordinator)
    response = post_training(client, lead, kind="own", provider="Vormingsdienst")
    assert response.status_code == 302, response.content.decode()[:3000]
    training = Training.objects.get(user=lead)
    assert (training.kind, training.completed_on, training.provider) == (
        "own",
        datetime.date(2026, 3, 6),
        "Vormingsdienst",
    )
    assert training.recorded_by == coordinator
    page = client.get(reverse("admin:jimcase_user_change", args=[lead.pk])).content.decode()
    assert "JIM-opleidingen" in page and "Vormingsdienst" in page
    assert "eigen JIM-opleiding van de organisatie" in page


def test_a_person_may_have_several_trainings(login, coordinator, lead):
    record(lead, coordinator, kind=Training.Kind.OWN, completed_on=datetime.date(2025, 9, 1))
    user_form_with_both = user_form(
        lead,
        **training_rows(
            {
                "id": lead.trainings.get().pk,
                "user": lead.pk,
                "kind": "own",
                "completed_on": "01-09-2025",
                "provider": "JIM-opleiders",
            },
            {"user": lead.pk, "kind": "method", "completed_on": "06-03-2026", "provider": "JIM-opleiders"},
            initial=1,
        ),
    )
    client, url = login(coordinator), reverse("admin:jimcase_user_change", args=[lead.pk])
    response = client.post(url, user_form_with_both | admin_opened(client, url))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(lead.trainings.values_list("kind", flat=True)) == ["method", "own"]


@pytest.mark.parametrize(
    "row, message",
    [
        (
            {"completed_on": (TODAY + datetime.timedelta(days=1)).strftime("%d-%m-%Y")},
            "Deze datum kan niet in de toekomst liggen.",
        ),
        ({"completed_on": "01-01-1900"}, "Vul een datum in vanaf 01-01-1990."),
        ({"provider": "<script>alert(1)</script>"}, "Schrijf gewone tekst, zonder HTML."),
        ({"provider": ""}, "Dit veld is verplicht."),
        ({"kind": "weekend"}, "is geen beschikbare keuze"),
    ],
)
def test_a_bad_training_is_refused_with_a_dutch_message_and_nothing_is_saved(
    login, coordinator, lead, row, message
):
    response = post_training(login(coordinator), lead, display_name="Nieuwe Naam", **row)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Training.objects.exists()
    lead.refresh_from_db()
    assert lead.display_name != "Nieuwe Naam"  # the person's own fields were not saved either


def test_the_service_checks_the_date_and_the_text_too(coordinator, lead):
    with pytest.raises(ValidationError):
        record(lead, coordinator, completed_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        record(lead, coordinator, provider="<b>vet</b>")
    assert not Training.objects.exists()


def test_a_coordinator_removes_a_training_recorded_by_mistake(login, coordinator, lead):
    training = record(lead, coordinator)
    row = {
        "id": training.pk,
        "user": lead.pk,
        "kind": "method",
        "completed_on": "06-03-2026",
        "provider": "JIM-opleiders",
        "DELETE": "on",
    }
    client, url = login(coordinator), reverse("admin:jimcase_user_change", args=[lead.pk])
    response = client.post(url, user_form(lead, **training_rows(row, initial=1)) | admin_opened(client, url))
    assert response.status_code == 302
    assert not Training.objects.exists()


def test_another_organisations_coordinator_neither_sees_nor_changes_a_training(
    login, coordinator, other_coordinator, lead, stranger
):
    training = record(lead, coordinator, provider="Alleen hier")
    client = login(other_coordinator)
    assert client.get(reverse("admin:jimcase_user_change", args=[lead.pk])).status_code == 404
    assert post_training(client, lead).status_code == 404
    # Slipped into her own professional's page, the other organisation's training is not a row there:
    # neither changed nor deleted (Django's formset drops a row whose id is not of this person).
    row = {"id": training.pk, "user": stranger.pk, "kind": "own", "completed_on": "01-01-2026"}
    url = reverse("admin:jimcase_user_change", args=[stranger.pk])
    for change in ({"provider": "Overgenomen"}, {"provider": "x", "DELETE": "on"}):
        client.post(url, user_form(stranger, **training_rows({**row, **change}, initial=1)))
    training.refresh_from_db()
    assert (training.user, training.provider, training.kind) == (lead, "Alleen hier", "method")
    assert list(Training.objects.all()) == [training]
    assert "Alleen hier" not in without_tokens(client.get(reverse("admin:jimcase_user_changelist")))


def test_a_professional_cannot_record_a_training(login, lead):
    response = post_training(login(lead), lead)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert not Training.objects.exists()


def test_the_user_list_filters_on_trained_and_not_trained(login, coordinator, lead, colleague):
    record(lead, coordinator)
    client = login(coordinator)
    url = reverse("admin:jimcase_user_changelist")

    def listed(**params):
        html = client.get(url, params).content.decode()
        return {
            User.objects.get(pk=pk).username for pk in re.findall(r"/admin/jimcase/user/(\d+)/change/", html)
        }

    assert "lead" in listed(trained="yes") and "colleague" not in listed(trained="yes")
    assert "colleague" in listed(trained="no") and "lead" not in listed(trained="no")
    html = client.get(url).content.decode()
    assert "JIM-opleiding" in html and "niet opgeleid" in html


# --- The caseload's hint ---------------------------------------------------------------------------


def test_the_caseload_reminds_an_untrained_professional_until_a_training_is_recorded(
    login, coordinator, lead
):
    client = login(lead)
    assert HINT in client.get(reverse("jimcase:caseload")).content.decode()
    record(lead, coordinator, kind=Training.Kind.OWN)
    assert HINT not in visible_text(client.get(reverse("jimcase:caseload")))


def test_the_hint_costs_no_query_of_its_own(login, coordinator, lead, make_youth, django_assert_num_queries):
    make_youth(2)
    client = login(lead)
    # The same 9 queries as without a training (test_caseload_query_count_is_constant): whether the
    # professional is trained is read with their roles, in one query.
    record(lead, coordinator)
    with django_assert_num_queries(9, info="a trained professional, two youths"):
        response = client.get(reverse("jimcase:caseload"))
    assert HINT not in visible_text(response)


def test_roles_and_training_are_read_together_for_a_person_without_groups(organisation, coordinator):
    nobody = User.objects.create(username="niemand", organisation=organisation)
    assert not nobody.has_training and not nobody.is_professional
    record(nobody, coordinator)
    assert nobody.has_training  # the service dropped the cached answer
    assert coordinator.is_coordinator and not coordinator.has_training
