"""'Denk even mee' requests, the shared log and overdue flags on the professional's pages, and their query counts."""

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jimcase.models import Youth
from jimcase.tests.html import without_tokens
from triads import services
from triads.models import (
    CheckIn,
    EndReason,
    Evaluation,
    FallbackRequest,
    JimLogEntry,
    Party,
)
from triads.sections import triad_section
from triads.tests.conftest import OUTCOME
from triads.tests.followup_pages import days, today

Kind = CheckIn.Kind

# --- Fallback requests and the shared log -------------------------------------------------------


def ask(triad, message, urgent=False, ago=0):
    request = services.fallback_request_send(
        triad=triad, by=triad.jim_profile.user, message=message, urgent=urgent
    )
    if ago:
        FallbackRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - days(ago))
    return request


def fresh(youth):
    """The youth as a new request reads it (the file's sections share one read per instance)."""
    return Youth.objects.get(pk=youth.pk)


def render_section(youth, user):
    request = RequestFactory().get(f"/youths/{youth.pk}/")
    request.user = user
    section = triad_section(request, youth)
    return without_tokens(
        render_to_string(section["template"], {"youth": youth, **section["context"]}, request)
    )


def test_open_requests_show_on_the_page_and_the_file_urgent_first(login, started_triad, lead):
    ask(started_triad, "Lotte slaapt slecht, hoe pak ik dat aan?", ago=1)
    ask(started_triad, "Lotte is van huis weggelopen.", urgent=True)
    for body in (
        login(lead).get(reverse("triads:detail", args=[started_triad.pk])).content.decode(),
        render_section(started_triad.youth, lead),
    ):
        assert body.count("fallback-request-open") == 2
        assert body.index("Lotte is van huis weggelopen.") < body.index("Lotte slaapt slecht")
        assert body.count("fallback-request-urgent") == 1 and "Dringend" in body


def test_marking_a_request_handled_takes_it_off_the_open_lists(login, started_triad, lead):
    request = ask(started_triad, "Even bellen?")
    client = login(lead)
    file_url = reverse("jimcase:youth_detail", args=[started_triad.youth_id])
    response = client.post(
        reverse("triads:fallback_handle", args=[started_triad.pk, request.pk]),
        {"next": file_url, "answer": "We bellen donderdag samen."},
    )
    assert response["Location"] == file_url
    request.refresh_from_db()
    assert request.status == FallbackRequest.Status.HANDLED and request.handled_by == lead
    assert "fallback-request-open" not in render_section(started_triad.youth, lead)
    page = without_tokens(client.get(reverse("triads:detail", args=[started_triad.pk])))
    assert "fallback-request-open" not in page and "Eerder afgehandelde vragen" in page
    assert f"afgehandeld door {lead} op {timezone.localdate():%d-%m-%Y}" in page
    # A second click changes nothing; an outside `next` is not followed.
    handled_at = request.handled_at
    response = client.post(
        reverse("triads:fallback_handle", args=[started_triad.pk, request.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("triads:detail", args=[started_triad.pk])
    request.refresh_from_db()
    assert request.handled_at == handled_at


def test_marking_handled_asks_first_on_the_page_and_the_file(login, started_triad, lead):
    request = ask(started_triad, "Lotte is weggelopen, wat nu?", urgent=True)
    url = reverse("triads:fallback_handle", args=[started_triad.pk, request.pk])
    client = login(lead)
    file_url = reverse("jimcase:youth_detail", args=[started_triad.youth_id])
    for body in (
        client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode(),
        client.get(file_url).content.decode(),
    ):
        # A link to the confirm page; no form that marks it handled in one click.
        assert url in body and f'action="{url}"' not in body
    page = client.get(url, {"next": file_url}).content.decode()
    assert "Weet je het zeker?" in page and "Lotte is weggelopen, wat nu?" in page
    assert "Ja, afgehandeld" in page and f'name="next" value="{file_url}"' in page
    request.refresh_from_db()
    assert request.status == FallbackRequest.Status.OPEN
    response = client.post(url, {"next": file_url, "answer": "Samen met Lotte gepraat."})
    assert response["Location"] == file_url
    request.refresh_from_db()
    assert request.handled_by == lead and request.handled_at is not None
    # Asking again for a handled request says so, and changes nothing.
    again = without_tokens(client.get(url, follow=True))
    assert "Deze vraag is al afgehandeld." in again and "Weet je het zeker?" not in again


def test_the_handle_url_is_bound_to_the_triad(login, started_triad, other_triad, lead, other_jim):
    ask(started_triad, "Even bellen?")
    client = login(lead)
    # Written straight to the table: the other triad is a draft, whose JIM cannot ask yet (issue 21).
    foreign = FallbackRequest.objects.create(triad=other_triad, created_by=other_jim, message="Hallo?")
    url = reverse("triads:fallback_handle", args=[started_triad.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert FallbackRequest.objects.filter(status="open").count() == 2


def test_only_shared_log_entries_reach_the_professional(login, started_triad, lead, jim):
    shared = services.jim_log_add(
        triad=started_triad, by=jim, happened_on=today(), kind="met", text="Samen gegeten."
    )
    services.jim_log_share(entry=shared, by=jim)
    services.jim_log_add(
        triad=started_triad, by=jim, happened_on=today(), kind="call", text="Privé: ruzie thuis."
    )
    page = without_tokens(login(lead).get(reverse("triads:detail", args=[started_triad.pk])))
    assert "Samen gegeten." in page
    assert "Privé: ruzie thuis." not in page
    assert page.count("jim-log-shared") == 1


# --- Overdue flags ------------------------------------------------------------------------------


def test_an_overdue_moment_is_flagged_on_the_page_and_the_file(login, started_triad, lead):
    moment = started_triad.check_ins.order_by("due_on").first()
    client = login(lead)
    assert "check-in-overdue-flag" not in without_tokens(
        client.get(reverse("triads:detail", args=[started_triad.pk]))
    )
    assert "check-in-overdue-flag" not in render_section(started_triad.youth, lead)
    services.check_in_move(check_in=moment, due_on=today() - days(3), by=lead)
    page = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Eén gepland moment is achterstallig." in page
    section = render_section(started_triad.youth, lead)
    assert "check-in-overdue-flag" in section and (today() - days(3)).strftime("%d-%m-%Y") in section
    caseload = client.get(reverse("jimcase:caseload")).content.decode()
    assert "check-in-overdue" in caseload and "opvolging te laat" in caseload
    file = client.get(reverse("jimcase:youth_detail", args=[started_triad.youth_id])).content.decode()
    assert "check-in-overdue" in file and (today() - days(3)).strftime("%d-%m-%Y") in file
    services.triad_close(**OUTCOME, triad=started_triad, by=lead, reason=EndReason.OTHER, after_plan="Plan.")
    assert "check-in-overdue-flag" not in render_section(started_triad.youth, lead)


# --- Query counts -------------------------------------------------------------------------------


def grow(triad, lead, jim, numbers):
    """Per number: a check-in, a planned evaluation with the JIM's and the youth's views and its record,
    a question, a shared and a private log entry; then two open questions handled and every moment overdue."""
    for i in numbers:
        services.check_in_plan(triad=triad, due_on=today() + days(i + 1), by=lead)
        moment = services.check_in_plan(
            triad=triad, due_on=today() + days(i + 1), by=lead, kind=Kind.EVALUATION
        )
        for party, by in ((Party.JIM, jim), (Party.YOUTH, lead)):
            services.evaluation_view_save(check_in=moment, party=party, by=by, score=4, goes_well=f"Goed {i}")
        services.evaluation_record(
            triad=triad, by=lead, held_on=today(), score=3, text=f"Evaluatie {i}", check_in=moment
        )
        ask(triad, f"Vraag {i}", urgent=bool(i % 2))
        entry = services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text=f"Log {i}")
        services.jim_log_share(entry=entry, by=jim)
        services.jim_log_add(triad=triad, by=jim, happened_on=today(), kind="met", text=f"Privé {i}")
    for request in FallbackRequest.objects.filter(triad=triad, status=FallbackRequest.Status.OPEN)[:2]:
        services.fallback_request_handle(request=request, by=lead, answer="We bellen donderdag samen.")
    # Moves and removals, with who did them (issue 14).
    for moment in CheckIn.objects.open().filter(triad=triad, kind=Kind.CHECK_IN)[: len(numbers)]:
        services.check_in_move(check_in=moment, due_on=moment.due_on + days(1), by=lead)
    removable = CheckIn.objects.open().filter(triad=triad, kind=Kind.CHECK_IN).last()
    services.check_in_cancel(check_in=removable, by=lead)
    CheckIn.objects.filter(triad=triad).update(due_on=today() - days(1))


def test_triad_page_runs_the_same_queries_with_more_follow_up(
    login, started_triad, lead, jim, django_assert_num_queries
):
    client = login(lead)
    url = reverse("triads:detail", args=[started_triad.pk])
    ask(started_triad, "Eerste vraag")
    grow(started_triad, lead, jim, range(1))
    client.get(url)  # warm up: session, content types
    # 25: the 22 before issue 14, one for the JIM's and the youth's views before the evaluations, one for
    # the moves of the planned moments (who moved them, when), and one for the record of why nobody can
    # decide on consent (issue 21).
    with django_assert_num_queries(25, info="one of each kind of follow-up"):
        client.get(url)
    grow(started_triad, lead, jim, range(1, 5))
    assert (
        Evaluation.objects.count() == 5 and JimLogEntry.objects.filter(shared_at__isnull=False).count() == 5
    )
    with django_assert_num_queries(25, info="five of each kind of follow-up"):
        response = client.get(url)
    body = without_tokens(response)
    assert "Evaluatie 4" in body and "Log 4" in body and "Privé" not in body
    assert body.count("Goed 4") == 2  # the JIM's and the youth's view of the fifth evaluation


def test_triad_section_runs_the_same_queries_with_more_follow_up(
    started_triad, lead, jim, django_assert_num_queries
):
    ask(started_triad, "Eerste vraag")
    grow(started_triad, lead, jim, range(1))
    render_section(fresh(started_triad.youth), lead)  # warm up: content types
    youth = fresh(started_triad.youth)  # each request reads the youth anew
    with django_assert_num_queries(5, info="one of each kind of follow-up"):
        render_section(youth, lead)
    grow(started_triad, lead, jim, range(1, 5))
    youth = fresh(started_triad.youth)
    with django_assert_num_queries(5, info="five of each kind of follow-up"):
        body = render_section(youth, lead)
    assert body.count("check-in-overdue-flag") >= 6


def test_triad_section_of_a_youth_without_a_triad_asks_only_for_triads_and_hand_overs(
    youth, lead, django_assert_num_queries
):
    render_section(fresh(youth), lead)  # warm up: content types
    youth = fresh(youth)
    with django_assert_num_queries(2, info="no triad: no consents, requests or check-ins to look for"):
        body = render_section(youth, lead)
    assert "check-in-overdue-flag" not in body
