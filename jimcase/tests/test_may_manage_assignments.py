"""Issue 22: who may hand over the lead and end others' assignments is one rule
(`jimcase.rules.may_manage_assignments`); the services refuse by it and the youth's page offers by it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jimcase import services
from jimcase.models import CaseAssignment
from jimcase.rules import may_manage_assignments

pytestmark = pytest.mark.django_db


def add_backup(youth, professional, by):
    return services.assignment_add(
        youth=youth, professional=professional, role="backup", starts_on=timezone.localdate(), by=by
    )


def test_the_current_lead_and_a_coordinator_of_the_organisation_may(
    youth, lead, colleague, coordinator, other_coordinator
):
    add_backup(youth, colleague, lead)
    assignments = list(youth.assignments.all())
    assert may_manage_assignments(lead, youth, assignments)
    assert may_manage_assignments(coordinator, youth, assignments)
    assert not may_manage_assignments(colleague, youth, assignments)
    assert not may_manage_assignments(other_coordinator, youth, assignments)


def test_an_ended_lead_assignment_does_not_count(youth, lead):
    assignments = list(youth.assignments.all())
    for a in assignments:
        a.ends_on = timezone.localdate()
    assert not may_manage_assignments(lead, youth, assignments)


def test_the_service_refuses_by_the_rule(youth, lead, colleague):
    add_backup(youth, colleague, lead)
    with pytest.raises(ValidationError):
        services.lead_hand_over(youth=youth, to=colleague, by=colleague)
    services.lead_hand_over(youth=youth, to=colleague, by=lead)
    assert (
        youth.assignments.get(professional=colleague, ends_on__isnull=True).role == CaseAssignment.Role.LEAD
    )


@pytest.mark.parametrize("who", ["lead", "colleague"])
def test_the_page_offers_the_hand_over_exactly_when_the_rule_allows(login, youth, lead, colleague, who):
    add_backup(youth, colleague, lead)
    user = {"lead": lead, "colleague": colleague}[who]
    response = login(user).get(reverse("jimcase:youth_detail", kwargs={"pk": youth.pk}))
    allowed = may_manage_assignments(user, youth, list(youth.assignments.all()))
    assert response.context["may_manage_assignments"] is allowed
    backup = youth.assignments.get(professional=colleague)
    hand_over = reverse("jimcase:lead_hand_over", kwargs={"pk": youth.pk, "assignment_pk": backup.pk})
    assert (hand_over in response.content.decode()) is allowed
