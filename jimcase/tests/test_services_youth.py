import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from jimcase import services
from jimcase.access import get_youth_for
from jimcase.models import CaseAssignment, Note, Role, Youth, YouthUserObjectPermission
from jimcase.selectors import youths_visible_to
from jimcase.tests import clock
from jimcase.tests.factories import UserFactory, professional
from mentors.services import search_start

TODAY = clock.TODAY  # the day the autouse `today` fixture travels to


def test_registering_makes_the_professional_lead_with_access(youth, lead):
    assignment = youth.assignments.get()
    assert (assignment.professional, assignment.role, assignment.ends_on) == (lead, "lead", None)
    perms = YouthUserObjectPermission.objects.filter(user=lead, content_object=youth)
    assert set(perms.values_list("permission__codename", flat=True)) == {"view_youth", "change_youth"}
    assert youth.stage == Youth.Stage.REFERRED and youth.stage_since == TODAY


def test_case_number_is_unique_within_the_organisation_only(youth, lead, stranger):
    with pytest.raises(ValidationError) as error:
        services.youth_register(
            by=lead,
            organisation=youth.organisation,
            first_name="A",
            last_name="B",
            case_number=youth.case_number,
            date_of_birth=datetime.date(2010, 1, 1),
            referral_date=TODAY,
        )
    assert Youth.objects.count() == 1
    assert error.value.messages
    other = services.youth_register(
        by=stranger,
        organisation=stranger.organisation,
        first_name="A",
        last_name="B",
        case_number=youth.case_number,
        date_of_birth=datetime.date(2010, 1, 1),
        referral_date=TODAY,
    )
    assert other.pk


def test_adding_a_backup_grants_and_ending_revokes_at_once_history_stays(youth, lead, colleague):
    assignment = services.assignment_add(
        youth=youth, professional=colleague, role=CaseAssignment.Role.BACKUP, starts_on=TODAY, by=lead
    )
    assert get_youth_for(colleague, youth.pk) == youth
    services.assignment_end(assignment=assignment, by=lead)
    with pytest.raises(Http404):
        get_youth_for(colleague, youth.pk)
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY and assignment.ended_by == lead
    assert youth.assignments.count() == 2  # the history stays


def test_ending_an_assignment_twice_is_refused(youth, lead, colleague):
    assignment = services.assignment_add(
        youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead
    )
    services.assignment_end(assignment=assignment, by=lead)
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=assignment, by=lead)


def test_a_new_lead_takes_over_and_the_old_lead_stays_as_backup(youth, lead, colleague):
    services.assignment_add(youth=youth, professional=colleague, role="lead", starts_on=TODAY, by=lead)
    roles = dict(youth.assignments.filter(ends_on__isnull=True).values_list("professional__username", "role"))
    assert roles == {"colleague": "lead", "lead": "backup"}


def test_the_only_professional_cannot_be_ended(youth, lead):
    with pytest.raises(ValidationError, match="heeft altijd een hulpverlener nodig"):
        services.assignment_end(assignment=youth.assignments.get(), by=lead)
    assert get_youth_for(lead, youth.pk) == youth


def test_a_backup_cannot_end_the_leads_assignment(youth, lead, colleague):
    services.assignment_add(youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead)
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=youth.assignments.get(professional=lead), by=colleague)
    assert get_youth_for(lead, youth.pk) == youth
    assert youth.current_lead == lead


def test_a_backup_cannot_end_another_backup_but_may_leave(youth, lead, colleague, organisation):
    third = UserFactory(username="third", organisation=organisation, role=Role.PROFESSIONAL)
    mine = services.assignment_add(
        youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead
    )
    theirs = services.assignment_add(youth=youth, professional=third, role="backup", starts_on=TODAY, by=lead)
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=theirs, by=colleague)
    services.assignment_end(assignment=mine, by=colleague)
    assert youth.assignments.get(pk=mine.pk).ends_on == TODAY


def test_a_team_member_cannot_make_himself_lead(youth, lead, colleague):
    services.youth_update(youth=youth, by=lead, shared_with_team=True)
    assert get_youth_for(colleague, youth.pk) == youth  # he reaches the file through the team
    with pytest.raises(ValidationError):
        services.assignment_add(
            youth=youth, professional=colleague, role="lead", starts_on=TODAY, by=colleague
        )
    with pytest.raises(ValidationError):
        services.lead_hand_over(youth=youth, to=colleague, by=colleague)
    assert youth.current_lead == lead


def test_the_lead_leaves_only_by_handing_over_first(youth, lead, colleague):
    services.assignment_add(youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead)
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=youth.assignments.get(professional=lead), by=lead)
    services.lead_hand_over(youth=youth, to=colleague, by=lead)
    assert youth.current_lead == colleague
    services.assignment_end(
        assignment=youth.assignments.get(professional=lead, ends_on__isnull=True), by=lead
    )
    assert list(
        youth.assignments.filter(ends_on__isnull=True).values_list("professional__username", "role")
    ) == [("colleague", "lead")]


def test_a_coordinator_hands_over_the_lead_without_getting_the_file(youth, lead, colleague, coordinator):
    services.lead_hand_over(youth=youth, to=colleague, by=coordinator)
    assert youth.current_lead == colleague
    assert youth.assignments.get(professional=lead, ends_on__isnull=True).role == "backup"
    with pytest.raises(Http404):
        get_youth_for(coordinator, youth.pk)
    row = youth.access_log.get(page="lead-handover")
    assert (row.user, row.on_behalf_of) == (coordinator, colleague)


def test_a_coordinator_of_another_organisation_cannot_hand_over(youth, colleague, other_coordinator):
    with pytest.raises(ValidationError):
        services.lead_hand_over(youth=youth, to=colleague, by=other_coordinator)


@pytest.mark.parametrize("who", ["stranger", "jim"])
def test_only_professionals_of_the_organisation_can_be_assigned(cast, youth, lead, who):
    with pytest.raises(ValidationError):
        services.assignment_add(youth=youth, professional=cast[who], role="backup", starts_on=TODAY, by=lead)
    assert youth.assignments.count() == 1


def test_an_assignment_cannot_start_in_the_future(youth, lead, colleague):
    with pytest.raises(ValidationError):
        services.assignment_add(
            youth=youth,
            professional=colleague,
            role="backup",
            starts_on=TODAY + datetime.timedelta(days=3),
            by=lead,
        )
    assert list(youths_visible_to(colleague)) == []


def test_sharing_with_the_team_opens_and_closes_the_file_for_members(youth, lead, colleague, stranger):
    services.youth_update(youth=youth, by=lead, shared_with_team=True)
    assert get_youth_for(colleague, youth.pk) == youth
    assert list(youths_visible_to(stranger)) == []
    services.youth_update(youth=youth, by=lead, shared_with_team=False)
    with pytest.raises(Http404):
        get_youth_for(colleague, youth.pk)
    assert get_youth_for(lead, youth.pk) == youth


def test_moving_a_shared_youth_to_another_team_revokes_the_old_team(youth, lead, colleague, organisation):
    services.youth_update(youth=youth, by=lead, shared_with_team=True)
    other_team = services.team_create(organisation=organisation, name="Team B")
    services.youth_update(youth=youth, by=lead, team=other_team)
    with pytest.raises(Http404):
        get_youth_for(colleague, youth.pk)


def test_capacity_not_capable_needs_a_motivation(youth, lead):
    with pytest.raises(ValidationError):
        services.youth_capacity_record(youth=youth, by=lead, deemed_incapable=True, motivation="  ")
    youth.refresh_from_db()
    assert youth.deemed_incapable is False and youth.is_capable
    services.youth_capacity_record(youth=youth, by=lead, deemed_incapable=True, motivation="Ernstige crisis.")
    youth.refresh_from_db()
    assert (youth.deemed_incapable, youth.capacity_recorded_by) == (True, lead)
    assert not youth.is_capable


def test_a_youth_under_12_is_not_presumed_capable(organisation, lead):
    young = services.youth_register(
        by=lead,
        organisation=organisation,
        first_name="K",
        last_name="L",
        case_number="K-1",
        date_of_birth=TODAY.replace(year=TODAY.year - 10, day=1),
        referral_date=TODAY,
    )
    assert young.age == 10 or young.age == 9
    assert not young.is_capable


def test_the_core_note_form_has_no_jim_sharing_a_share_belongs_to_one_triad():
    """Sharing with a JIM is recorded per triad (triads.NoteShare), never as a yes/no on the note."""
    field_names = {field.name for field in Note._meta.get_fields()}
    assert "shared_with_jim" not in field_names and "jim_share_agreed_on" not in field_names
    assert Note.NEVER_FOR_JIM == ("in_confidence", "third_party_only", "for_court", "withheld_for_youth")


def test_stage_moves_with_its_date(youth, lead):
    day = TODAY - datetime.timedelta(days=20)
    search_start(youth=youth, by=lead, started_on=day)
    youth.refresh_from_db()
    assert youth.help_on_hold and youth.days_in_stage == 20


def test_the_same_form_token_is_claimed_once(lead):
    token = uuid.uuid4()
    services.submission_claim(token=token, user=lead)
    with pytest.raises(services.AlreadySubmitted):
        services.submission_claim(token=token, user=lead)


def test_professional_helper_builds_a_professional(organisation):
    assert professional(organisation=organisation).is_professional


def test_a_duplicate_case_number_is_refused_in_words_a_professional_uses(youth, lead, organisation):
    # The admin and every service see the constraint's own message, not Django's "Jongere met deze …".
    with translation.override("nl-be"), pytest.raises(ValidationError) as refused:
        services.youth_register(
            by=lead,
            organisation=organisation,
            first_name="Sam",
            last_name="Peeters",
            case_number=youth.case_number,
            date_of_birth=datetime.date(2011, 4, 2),
            referral_date=datetime.date.today(),
        )
    assert refused.value.messages == ["Er is al een jongere met dit dossiernummer in je organisatie."]
    assert Youth.objects.count() == 1
