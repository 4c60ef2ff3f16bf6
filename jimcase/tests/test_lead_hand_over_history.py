"""Handing over the lead keeps who led on earlier days (issue 22).

The old lead's assignment ends on the day of the hand-over and the same professional goes on as backup from
that day; the new lead's assignment starts that day. The old code turned both assignments around in place,
so `CaseAssignment.objects.current(day)` named the new lead (or nobody) on days before the hand-over, and the
reports for those days lost the youth.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from jimcase import services
from jimcase.access import get_youth_for
from jimcase.models import CaseAssignment, Role, Youth, YouthUserObjectPermission
from jimcase.tests.clock import BRUSSELS, TODAY
from jimcase.tests.factories import UserFactory
from reports.selectors import Filters, capacity_figures, followup_figures, youths_q
from reports.tests.helpers import make_triad, name
from triads.models import CheckIn

REGISTERED = TODAY - datetime.timedelta(days=30)
BACKUP_FROM = TODAY - datetime.timedelta(days=20)
EARLIER = TODAY - datetime.timedelta(days=10)

#: The ASSIGNMENT_ENDED hooks that ran in a test (`record_assignment_ended`).
ENDED = []


def record_assignment_ended(*, assignment, by):
    ENDED.append((assignment.professional, assignment.role))


def on(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=BRUSSELS), tick=False)


@pytest.fixture
def file(organisation, team_a, lead, colleague):
    """A youth registered by `lead` 30 days ago, with `colleague` as backup from 20 days ago."""
    with on(REGISTERED):
        youth = services.youth_register(
            by=lead,
            organisation=organisation,
            team=team_a,
            first_name="Mila",
            last_name="Peeters",
            case_number="BRUG-0042",
            date_of_birth=datetime.date(2011, 3, 1),
            referral_date=REGISTERED,
        )
    with on(BACKUP_FROM):
        services.assignment_add(
            youth=youth, professional=colleague, role="backup", starts_on=BACKUP_FROM, by=lead
        )
    return youth


def leads_on(youth, day):
    return list(
        CaseAssignment.objects.current(day)
        .filter(youth=youth, role=CaseAssignment.Role.LEAD)
        .values_list("professional__username", flat=True)
    )


def roles_on(youth, day):
    return dict(
        CaseAssignment.objects.current(day).filter(youth=youth).values_list("professional__username", "role")
    )


def hand_over_by_service(youth, to, by, login):
    services.lead_hand_over(youth=youth, to=to, by=by)


def hand_over_on_the_youths_page(youth, to, by, login):
    backup = youth.assignments.get(professional=to, ends_on__isnull=True)
    response = login(by).post(reverse("jimcase:lead_hand_over", args=[youth.pk, backup.pk]))
    assert response.status_code == 302


def hand_over_in_the_admin(youth, to, by, login):
    response = login(by).post(reverse("admin:jimcase_youth_lead", args=[youth.pk]), {"professional": to.pk})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("hand_over", "by"),
    [
        (hand_over_by_service, "lead"),
        (hand_over_on_the_youths_page, "lead"),
        (hand_over_in_the_admin, "coordinator"),
    ],
)
def test_a_hand_over_keeps_who_led_on_earlier_days(
    cast, file, lead, colleague, login, hand_over, by, settings
):
    settings.ASSIGNMENT_ENDED = [f"{__name__}.record_assignment_ended"]
    ENDED.clear()
    perms_before = set(
        YouthUserObjectPermission.objects.filter(content_object=file).values_list("user", "permission")
    )
    hand_over(file, colleague, cast[by], login)

    assert roles_on(file, REGISTERED) == {"lead": "lead"}
    assert roles_on(file, EARLIER) == {"lead": "lead", "colleague": "backup"}
    assert roles_on(file, TODAY) == {"lead": "backup", "colleague": "lead"}
    assert file.current_lead == colleague
    old_lead = file.assignments.get(professional=lead, role="lead")
    assert (old_lead.starts_on, old_lead.ends_on, old_lead.ended_by) == (REGISTERED, TODAY, cast[by])
    old_backup = file.assignments.get(professional=colleague, role="backup")
    assert (old_backup.starts_on, old_backup.ends_on) == (BACKUP_FROM, TODAY)
    # Open: each professional once, from today.
    assert sorted(
        file.assignments.filter(ends_on__isnull=True).values_list(
            "professional__username", "role", "starts_on"
        )
    ) == [
        ("colleague", "lead", TODAY),
        ("lead", "backup", TODAY),
    ]
    # Nobody loses or gains access, and nobody left the file: no "assignment ended" side effects.
    assert (
        set(YouthUserObjectPermission.objects.filter(content_object=file).values_list("user", "permission"))
        == perms_before
    )
    assert get_youth_for(lead, file.pk) == file and get_youth_for(colleague, file.pk) == file
    assert ENDED == []


def test_leaving_the_file_after_a_hand_over_ends_only_the_backup(file, lead, colleague, settings):
    settings.ASSIGNMENT_ENDED = [f"{__name__}.record_assignment_ended"]
    ENDED.clear()
    services.lead_hand_over(youth=file, to=colleague, by=lead)
    services.assignment_end(assignment=file.assignments.get(professional=lead, ends_on__isnull=True), by=lead)
    assert [(lead, "backup")] == ENDED
    assert roles_on(file, EARLIER) == {"lead": "lead", "colleague": "backup"}
    assert roles_on(file, TODAY) == {"colleague": "lead"}


def test_a_hand_over_to_a_professional_new_to_the_file(file, lead, cast, organisation):
    third = UserFactory(username="third", organisation=organisation, role=Role.PROFESSIONAL)
    services.lead_hand_over(youth=file, to=third, by=cast["coordinator"])
    assert roles_on(file, EARLIER) == {"lead": "lead", "colleague": "backup"}
    assert roles_on(file, TODAY) == {"lead": "backup", "colleague": "backup", "third": "lead"}
    assert get_youth_for(third, file.pk) == file


def test_a_lead_handed_over_on_the_day_it_started_changes_in_place(youth, lead, colleague):
    """An assignment that started today has no earlier day to keep: no row from today until today."""
    services.assignment_add(youth=youth, professional=colleague, role="backup", starts_on=TODAY, by=lead)
    services.lead_hand_over(youth=youth, to=colleague, by=lead)
    assert sorted(youth.assignments.values_list("professional__username", "role", "ends_on")) == [
        ("colleague", "lead", None),
        ("lead", "backup", None),
    ]


def test_a_new_lead_cannot_start_before_today_when_the_file_has_a_lead(file, lead, cast, organisation):
    """The lead is handed over today: a new lead from an earlier day would make two leads on those days."""
    third = UserFactory(username="third", organisation=organisation, role=Role.PROFESSIONAL)
    with pytest.raises(ValidationError) as error:
        services.assignment_add(youth=file, professional=third, role="lead", starts_on=EARLIER, by=lead)
    assert "starts_on" in error.value.message_dict
    assert leads_on(file, EARLIER) == ["lead"] and file.current_lead == lead
    services.assignment_add(youth=file, professional=third, role="lead", starts_on=TODAY, by=lead)
    assert leads_on(file, EARLIER) == ["lead"] and leads_on(file, TODAY) == ["third"]


def test_the_youths_page_lists_each_current_professional_once(file, lead, colleague, login):
    services.lead_hand_over(youth=file, to=colleague, by=lead)
    response = login(colleague).get(reverse("jimcase:youth_detail", args=[file.pk]))
    open_ones = [a for a in response.context["assignments"] if a.is_open]
    assert sorted((str(a.professional), a.role) for a in open_ones) == sorted(
        [(str(colleague), "lead"), (str(lead), "backup")]
    )
    # The current professionals come first, the ended rows after them.
    assert response.context["assignments"][: len(open_ones)] == open_ones
    # One 'make lead' button, for the old lead (a backup now); none on the ended rows.
    html = response.content.decode()
    make_lead = {
        a.pk: html.count(reverse("jimcase:lead_hand_over", args=[file.pk, a.pk]))
        for a in file.assignments.all()
    }
    assert make_lead == {a.pk: int(a.is_open and a.professional == lead) for a in file.assignments.all()}


def test_reports_for_a_day_before_the_hand_over_name_the_lead_of_that_day(file, lead, colleague):
    triad = make_triad(file, lead, trial_started_on=REGISTERED)
    CheckIn.objects.create(triad=triad, due_on=EARLIER - datetime.timedelta(days=3))
    services.lead_hand_over(youth=file, to=colleague, by=lead)
    before = Filters(date_from=REGISTERED, date_to=EARLIER, organisation_id=file.organisation_id)
    assert capacity_figures(before)["caseloads"] == [("Team A", name(lead), 1)]
    assert followup_figures(before)["overdue_by_lead"] == [(name(lead), 1)]
    now = Filters(date_from=REGISTERED, date_to=TODAY, organisation_id=file.organisation_id)
    assert capacity_figures(now)["caseloads"] == [("Team A", name(colleague), 1)]


@pytest.mark.parametrize(
    ("who", "date_from", "date_to", "shown"),
    [
        ("lead", REGISTERED, EARLIER, True),  # led the file then
        ("colleague", REGISTERED, EARLIER, False),  # a backup then
        ("colleague", EARLIER, TODAY, True),  # leads from today
        ("lead", TODAY, TODAY, False),  # a backup from today: the lead's assignment ended today
    ],
)
def test_the_professional_filter_follows_who_led_in_the_period(
    file, lead, colleague, cast, who, date_from, date_to, shown
):
    services.lead_hand_over(youth=file, to=colleague, by=lead)
    filters = Filters(
        date_from=date_from,
        date_to=date_to,
        organisation_id=file.organisation_id,
        professional_id=cast[who].pk,
    )
    assert Youth.objects.filter(youths_q(filters)).filter(pk=file.pk).exists() is shown
