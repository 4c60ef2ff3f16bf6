"""The JIM's and the youth's voice in each evaluation, and the reason for a trial decision before its end (issue 14).

Before a planned evaluation the JIM answers three short questions on their own page and the professional
writes down the youth's answers; the evaluation page shows the three views side by side. A decision
taken before the trial's last day needs a written reason.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jimcase.tests.html import without_tokens
from jimcase.tests.stale import opened
from triads import services
from triads.models import CheckIn, Evaluation, EvaluationView, Party, Triad
from triads.tests.followup_pages import evaluation_data, state
from triads.tests.test_followup_services import days, today, trial_evaluation
from triads.tests.triad_pages import HTML, field_error

Kind = CheckIn.Kind
Decision = Evaluation.Decision


def jim_eval_url(triad, moment):
    return reverse("triads:jim_evaluation", args=[triad.pk, moment.pk])


def youth_view_url(triad, moment):
    return reverse("triads:youth_view", args=[triad.pk, moment.pk])


def answers(**overrides):
    data = {
        "score": "4",
        "goes_well": "We lachen veel samen.",
        "would_help": "Een vaste dag om af te spreken.",
    }
    data.update(overrides)
    return data


def views():
    return list(EvaluationView.objects.values_list("party", "score", "goes_well", "would_help"))


def column(body, party):
    """The text of one party's column in the three views side by side."""
    match = re.search(rf'data-party="{party}">(.*?)</section>', body, re.S)
    assert match, f"no column for {party}"
    return match.group(1)


# --- The early decision needs a written reason -------------------------------------------------


def test_a_trial_decision_before_the_trial_end_is_refused_without_a_reason(started_triad, lead):
    """The finding: "verdergaan" on the trial's first day was accepted silently."""
    triad = started_triad
    assert triad.trial_ends_on > today()
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(triad=triad, by=lead, held_on=today(), score=5, decision=Decision.CONTINUE)
    message = " ".join(error.value.message_dict["early_reason"])
    assert "Schrijf op waarom" in message and triad.trial_ends_on.strftime("%d-%m-%Y") in message
    triad.refresh_from_db()
    assert triad.status == Triad.Status.TRIAL and not Evaluation.objects.exists()


@pytest.mark.parametrize("decision", [Decision.CONTINUE, Decision.ADJUST, Decision.END])
def test_every_early_decision_keeps_its_written_reason(started_triad, lead, decision):
    evaluation = services.evaluation_record(
        triad=started_triad,
        by=lead,
        held_on=today(),
        score=4,
        decision=decision,
        early_reason="  Lotte en Wilma kennen elkaar al jaren.  ",
    )
    assert evaluation.early_reason == "Lotte en Wilma kennen elkaar al jaren."


def test_a_decision_at_the_trial_end_needs_no_reason(started_triad, lead):
    Triad.objects.filter(pk=started_triad.pk).update(trial_ends_on=today())
    evaluation = services.evaluation_record(
        triad=started_triad,
        by=lead,
        held_on=today(),
        score=4,
        decision=Decision.CONTINUE,
        check_in=trial_evaluation(started_triad),
        early_reason="Niet nodig.",
    )
    # Kept only where it explains an early decision.
    assert evaluation.early_reason == ""
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.ACTIVE


def test_an_evaluation_without_a_decision_needs_no_reason(started_triad, lead):
    evaluation = services.evaluation_record(triad=started_triad, by=lead, held_on=today(), score=3)
    assert evaluation.decision == "" and evaluation.early_reason == ""


@pytest.mark.parametrize(
    "overrides,expected",
    [
        ({"decision": "continue"}, "Schrijf op waarom je al voor het einde beslist."),
        ({"decision": "continue", "early_reason": "   "}, "Schrijf op waarom je al voor het einde beslist."),
        ({"decision": "adjust", "early_reason": HTML}, "zonder HTML"),
        ({"decision": "end", "early_reason": "x" * 2001}, "2000"),
    ],
)
def test_the_evaluation_page_asks_the_reason_beside_its_field(
    login, started_triad, lead, overrides, expected
):
    before = state(started_triad)
    response = login(lead).post(
        reverse("triads:evaluation_add", args=[started_triad.pk]), evaluation_data(**overrides)
    )
    assert response.status_code == 200
    assert expected in field_error(response, "early_reason")
    assert state(started_triad) == before


def test_the_evaluation_page_takes_an_early_decision_with_its_reason(login, started_triad, lead):
    client = login(lead)
    page = client.get(reverse("triads:evaluation_add", args=[started_triad.pk])).content.decode()
    assert "Waarom beslis je nu al" in page and started_triad.trial_ends_on.strftime("%d-%m-%Y") in page
    client.post(
        reverse("triads:evaluation_add", args=[started_triad.pk]),
        evaluation_data(decision="continue", early_reason="Lotte vraagt het zelf."),
    )
    started_triad.refresh_from_db()
    assert started_triad.status == Triad.Status.ACTIVE
    assert Evaluation.objects.get().early_reason == "Lotte vraagt het zelf."
    body = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Beslist voor het einde van de proefperiode, omdat:" in body and "Lotte vraagt het zelf." in body


# --- The JIM answers three questions ------------------------------------------------------------


def test_the_jim_page_invites_to_answer_before_the_next_evaluation(login, started_triad, jim):
    client = login(jim)
    moment = trial_evaluation(started_triad)
    body = client.get(reverse("triads:jim_triad", args=[started_triad.pk])).content.decode()
    assert jim_eval_url(started_triad, moment) in body and "Drie vragen beantwoorden" in body
    form = client.get(jim_eval_url(started_triad, moment)).content.decode()
    for question in (
        "Hoe gaat het met jullie? (1 = niet goed, 5 = heel goed)",
        "Wat gaat goed?",
        "Wat zou helpen?",
    ):
        assert question in form


def test_the_jim_answers_and_may_change_the_answers_until_the_evaluation(login, started_triad, jim):
    client = login(jim)
    moment = trial_evaluation(started_triad)
    url = jim_eval_url(started_triad, moment)
    response = client.post(url, opened(client, url) | answers(), follow=True)
    assert "De hulpverlener leest je antwoorden voor het gesprek." in response.content.decode()
    assert views() == [("jim", 4, "We lachen veel samen.", "Een vaste dag om af te spreken.")]
    assert EvaluationView.objects.get().by == jim
    body = client.get(reverse("triads:jim_triad", args=[started_triad.pk])).content.decode()
    assert "Je hebt geantwoord." in body and "Mijn antwoorden aanpassen" in body
    form = client.get(jim_eval_url(started_triad, moment)).content.decode()
    assert "We lachen veel samen." in form and "Tot het gesprek kun je je antwoorden nog veranderen." in form
    client.post(url, opened(client, url) | answers(score="2", would_help=""))
    assert views() == [("jim", 2, "We lachen veel samen.", "")]


@pytest.mark.parametrize(
    "overrides,field,expected",
    [
        ({"score": ""}, "score", "Kies een getal van 1 tot 5."),
        ({"score": "6"}, "score", "Kies een getal van 1 tot 5."),
        ({"score": "vijf"}, "score", "Kies een getal van 1 tot 5."),
        ({"goes_well": HTML}, "goes_well", "zonder HTML"),
        ({"would_help": "x" * 1001}, "would_help", "1000"),
    ],
)
def test_the_jims_answers_are_refused_in_dutch_beside_the_field(
    login, started_triad, jim, overrides, field, expected
):
    response = login(jim).post(
        jim_eval_url(started_triad, trial_evaluation(started_triad)), answers(**overrides)
    )
    assert response.status_code == 200
    assert expected in field_error(response, field)
    assert views() == []


def test_another_jim_and_the_professional_get_404_on_the_jims_questions(
    login, started_triad, other_jim, other_triad, lead
):
    url = jim_eval_url(started_triad, trial_evaluation(started_triad))
    for user in (other_jim, lead):
        client = login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, answers()).status_code == 404
    assert views() == []


def test_a_moment_that_is_no_evaluation_or_of_another_triad_is_404(
    login, started_triad, jim, other_triad, stranger
):
    client = login(jim)
    check_in = started_triad.check_ins.filter(kind=Kind.CHECK_IN).first()
    assert client.get(jim_eval_url(started_triad, check_in)).status_code == 404
    moment = CheckIn.objects.create(triad=other_triad, kind=Kind.EVALUATION, due_on=today() + days(9))
    assert client.get(reverse("triads:jim_evaluation", args=[started_triad.pk, moment.pk])).status_code == 404
    assert (
        client.post(
            reverse("triads:jim_evaluation", args=[started_triad.pk, moment.pk]), answers()
        ).status_code
        == 404
    )
    assert views() == []


def test_the_jim_cannot_answer_after_the_evaluation_was_recorded(login, started_triad, jim, lead):
    client = login(jim)
    moment = trial_evaluation(started_triad)
    url = jim_eval_url(started_triad, moment)
    client.post(url, opened(client, url) | answers())
    services.evaluation_record(
        triad=started_triad, by=lead, held_on=today(), score=4, check_in=moment, text="Goed gesprek."
    )
    response = client.post(
        jim_eval_url(started_triad, moment), answers(score="1", goes_well="Anders."), follow=True
    )
    assert "Je kunt je antwoorden niet meer veranderen." in response.content.decode()
    assert views() == [("jim", 4, "We lachen veel samen.", "Een vaste dag om af te spreken.")]
    # The service refuses it too (a form sent just before the evaluation was recorded).
    with pytest.raises(ValidationError, match="niet meer veranderen"):
        services.evaluation_view_save(check_in=moment, party=Party.JIM, by=jim, score=1)
    # The JIM's page no longer invites to answer for it.
    body = without_tokens(client.get(reverse("triads:jim_triad", args=[started_triad.pk])))
    assert jim_eval_url(started_triad, moment) not in body


def test_only_the_triads_jim_answers_as_the_jim(started_triad, lead):
    with pytest.raises(ValidationError):
        services.evaluation_view_save(
            check_in=trial_evaluation(started_triad), party=Party.JIM, by=lead, score=3
        )
    assert views() == []


def test_the_jim_sees_only_their_own_view(login, started_triad, jim, lead):
    moment = trial_evaluation(started_triad)
    services.evaluation_view_save(
        check_in=moment,
        party=Party.YOUTH,
        by=lead,
        score=2,
        goes_well="Geheim van Lotte.",
        would_help="Rust.",
    )
    client = login(jim)
    for url in (jim_eval_url(started_triad, moment), reverse("triads:jim_triad", args=[started_triad.pk])):
        body = without_tokens(client.get(url))
        assert "Geheim van Lotte." not in body
    # The JIM's form starts empty: the youth's answers are not the JIM's.
    assert 'value="2" autocomplete="off" checked' not in without_tokens(
        client.get(jim_eval_url(started_triad, moment))
    )


# --- The professional: the youth's view and the three views side by side --------------------------


def test_the_professional_writes_down_the_youths_view_and_returns(login, started_triad, lead):
    client = login(lead)
    moment = trial_evaluation(started_triad)
    back = reverse("triads:evaluation_add", args=[started_triad.pk]) + f"?check_in={moment.pk}"
    page = client.get(youth_view_url(started_triad, moment)).content.decode()
    assert "Wat vindt Lotte?" in page and "Wat gaat goed?" in page
    url = youth_view_url(started_triad, moment)
    response = client.post(
        url,
        opened(client, url)
        | {**answers(score="3", goes_well="Wilma luistert.", would_help="Minder ruzie thuis."), "next": back},
    )
    assert response["Location"] == back
    assert views() == [("youth", 3, "Wilma luistert.", "Minder ruzie thuis.")]
    assert EvaluationView.objects.get().by == lead
    # The youth's view is written down once per moment: a second time changes it.
    client.post(url, opened(client, url) | answers(score="5"))
    assert [v[:2] for v in views()] == [("youth", 5)]


def test_the_youths_view_is_refused_beside_the_field_and_for_a_recorded_evaluation(
    login, started_triad, lead
):
    client = login(lead)
    moment = trial_evaluation(started_triad)
    response = client.post(youth_view_url(started_triad, moment), answers(score=""))
    assert "Kies een getal van 1 tot 5." in field_error(response, "score")
    services.evaluation_record(
        triad=started_triad, by=lead, held_on=today(), score=4, check_in=moment, text="Ok."
    )
    assert client.get(youth_view_url(started_triad, moment)).status_code == 404
    assert client.post(youth_view_url(started_triad, moment), answers()).status_code == 404
    assert views() == []


def test_a_professional_without_the_youth_gets_404_on_the_youths_view(
    login, started_triad, stranger, colleague
):
    url = youth_view_url(started_triad, trial_evaluation(started_triad))
    for user in (stranger, colleague):
        assert login(user).post(url, answers()).status_code == 404
    assert views() == []


def give_both_views(triad, moment, lead, jim):
    services.evaluation_view_save(
        check_in=moment,
        party=Party.JIM,
        by=jim,
        score=4,
        goes_well="Zwemmen gaat goed.",
        would_help="Meer tijd.",
    )
    services.evaluation_view_save(
        check_in=moment,
        party=Party.YOUTH,
        by=lead,
        score=3,
        goes_well="Wilma luistert.",
        would_help="Rust thuis.",
    )


def test_the_evaluation_page_shows_the_three_views_side_by_side(login, started_triad, lead, jim):
    moment = trial_evaluation(started_triad)
    client = login(lead)
    url = reverse("triads:evaluation_add", args=[started_triad.pk]) + f"?check_in={moment.pk}"
    body = client.get(url).content.decode()
    assert "De JIM heeft de drie vragen niet beantwoord." in column(body, "jim")
    assert youth_view_url(started_triad, moment) in column(body, "youth")
    give_both_views(started_triad, moment, lead, jim)
    body = client.get(url).content.decode()
    assert "Zwemmen gaat goed." in column(body, "jim") and "Meer tijd." in column(body, "jim")
    assert "Wilma luistert." in column(body, "youth") and "Zwemmen" not in column(body, "youth")
    assert "Jouw standpunt: het formulier hieronder." in column(body, "professional")
    # Without a planned evaluation there are no views to show.
    assert 'data-party="jim"' not in without_tokens(
        client.get(reverse("triads:evaluation_add", args=[started_triad.pk]))
    )


def test_the_plan_says_whether_the_jim_answered_before_the_next_evaluation(login, started_triad, lead, jim):
    later = services.check_in_plan(
        triad=started_triad, due_on=started_triad.trial_ends_on + days(30), by=lead, kind=Kind.EVALUATION
    )
    client = login(lead)
    url = reverse("triads:detail", args=[started_triad.pk])
    plan = client.get(url).content.decode()
    # Only the next evaluation waits for the JIM; a later one is not flagged as unanswered.
    assert plan.count("de JIM antwoordde nog niet") == 1
    assert youth_view_url(started_triad, trial_evaluation(started_triad)) in plan
    assert youth_view_url(started_triad, later) in plan
    services.evaluation_view_save(check_in=later, party=Party.JIM, by=jim, score=5)
    plan = client.get(url).content.decode()
    assert plan.count("de JIM antwoordde nog niet") == 1 and plan.count("de JIM antwoordde<") == 1


def test_the_triad_page_shows_a_recorded_evaluation_with_the_three_views(login, started_triad, lead, jim):
    moment = trial_evaluation(started_triad)
    give_both_views(started_triad, moment, lead, jim)
    client = login(lead)
    plan = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "de JIM antwoordde" in plan and "standpunt van de jongere genoteerd" in plan
    services.evaluation_record(
        triad=started_triad,
        by=lead,
        held_on=today(),
        score=5,
        check_in=moment,
        text="We gaan verder, met vaste woensdagen.",
        decision=Decision.CONTINUE,
        early_reason="Alles loopt goed.",
    )
    body = client.get(reverse("triads:detail", args=[started_triad.pk])).content.decode()
    assert "Zwemmen gaat goed." in column(body, "jim")
    assert "Rust thuis." in column(body, "youth")
    professional = column(body, "professional")
    assert "We gaan verder, met vaste woensdagen." in professional and "Alles loopt goed." in professional
    assert "Zwemmen" not in professional


# --- Query counts -------------------------------------------------------------------------------


def more_moments(triad, lead, jim, n):
    """`n` more planned evaluations, each answered by the JIM and the youth."""
    for i in range(n):
        moment = services.check_in_plan(
            triad=triad, due_on=today() + days(40 + i), by=lead, kind=Kind.EVALUATION
        )
        give_both_views(triad, moment, lead, jim)


def test_the_views_pages_run_the_same_queries_at_two_data_sizes(
    login, started_triad, lead, jim, django_assert_num_queries
):
    moment = trial_evaluation(started_triad)
    give_both_views(started_triad, moment, lead, jim)
    pages = {
        lead: {
            reverse("triads:evaluation_add", args=[started_triad.pk]) + f"?check_in={moment.pk}": 9,
            youth_view_url(started_triad, moment): 8,
        },
        jim: {jim_eval_url(started_triad, moment): 8},
    }

    def check(info):
        for user, counts in pages.items():
            client = login(user)
            for url in counts:
                client.get(url)  # warm up: session, content types
            for url, n in counts.items():
                with django_assert_num_queries(n, info=f"{url}, {info}"):
                    assert client.get(url).status_code == 200

    check("one planned evaluation")
    more_moments(started_triad, lead, jim, 4)
    check("five planned evaluations")
