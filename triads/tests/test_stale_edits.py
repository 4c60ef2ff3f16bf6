"""Two professionals edit the same agreement: the stale save is refused and can be re-applied (issue 11)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jimcase.services import StaleEdit
from jimcase.tests.stale import REFUSED, both_open_then_first_saves, form_data
from triads import services
from triads.models import Agreement, CheckIn, EvaluationView, Party

from .conftest import assign_backup


@pytest.fixture
def backup(triad, lead, colleague):
    assign_backup(triad.youth, colleague, by=lead)
    return colleague


# --- The form, with two browsers ----------------------------------------------------------------


def test_a_stale_save_of_the_agreement_draft_is_refused_and_can_be_re_applied(lead, backup, triad):
    url = reverse("triads:agreement_edit", args=[triad.pk])
    trial_days = triad.current_agreement.trial_days
    bram, stale = both_open_then_first_saves(url, lead, backup, {"meeting": "Elke zaterdag in het park."})

    refused = bram.post(url, stale | {"trial_days": "60"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert (
        "<dt>Hoe vaak en hoe de jongere en de JIM elkaar zien</dt><dd>Elke zaterdag in het park.</dd>" in page
    )
    assert 'value="60"' in page
    agreement = triad.current_agreement
    assert (agreement.meeting, agreement.trial_days, agreement.edit_version) == (
        "Elke zaterdag in het park.",
        trial_days,
        1,
    )

    again = form_data(refused)
    assert again["edit_version"] == "1"
    response = bram.post(url, again | {"meeting": "Elke zaterdag in het park."})

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.meeting, agreement.trial_days, agreement.edit_version, agreement.version) == (
        "Elke zaterdag in het park.",
        60,
        2,
        1,
    )


def test_a_stale_save_of_a_signed_agreement_makes_no_second_new_version(lead, started_triad, colleague):
    assign_backup(started_triad.youth, colleague, by=lead)
    url = reverse("triads:agreement_edit", args=[started_triad.pk])
    bram, stale = both_open_then_first_saves(url, lead, colleague, {"meeting": "Elke woensdag."})

    refused = bram.post(url, stale | {"ending": "We stoppen samen."})

    page = refused.content.decode()
    assert REFUSED in page and "<dd>Elke woensdag.</dd>" in page
    assert list(started_triad.agreements.values_list("version", "status", "meeting")) == [
        (2, Agreement.Status.DRAFT, "Elke woensdag."),
        (1, Agreement.Status.SUPERSEDED, started_triad.agreements.get(version=1).meeting),
    ]

    response = bram.post(url, form_data(refused) | {"meeting": "Elke woensdag."})

    assert response.status_code == 302
    current = started_triad.current_agreement
    assert (current.version, current.meeting, current.ending) == (2, "Elke woensdag.", "We stoppen samen.")


# --- The services -------------------------------------------------------------------------------


def test_agreement_change_on_an_older_version_is_refused_and_keeps_the_first_save(triad, lead, colleague):
    services.agreement_change(triad=triad, by=lead, edit_version=0, meeting="Elke zaterdag.")

    with pytest.raises(StaleEdit) as refused:
        services.agreement_change(triad=triad, by=colleague, edit_version=0, meeting="Elke maandag.")

    assert (refused.value.current.meeting, refused.value.current.edited_by) == ("Elke zaterdag.", lead)
    assert triad.current_agreement.meeting == "Elke zaterdag."


def test_a_new_version_carries_the_edit_version_on(started_triad, lead):
    signed = started_triad.current_agreement

    new = services.agreement_new_version(triad=started_triad, by=lead, meeting="Elke woensdag.")

    assert new.edit_version > signed.edit_version
    assert new.edited_by == lead
    with pytest.raises(StaleEdit):
        services.agreement_change(
            triad=started_triad, by=lead, edit_version=signed.edit_version, meeting="Elke maandag."
        )


def test_saving_a_signed_agreement_unchanged_leaves_an_open_form_valid(started_triad, lead):
    signed = started_triad.current_agreement

    unchanged = services.agreement_change(triad=started_triad, by=lead, edit_version=signed.edit_version)

    assert unchanged == services.AgreementChange.UNCHANGED
    change = services.agreement_change(
        triad=started_triad, by=lead, edit_version=signed.edit_version, meeting="Elke woensdag."
    )
    assert change == services.AgreementChange.NEW_VERSION


# --- Moving a planned moment, and the answers before an evaluation (issue 21) -------------------


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_a_stale_move_of_a_planned_moment_is_refused_and_can_be_re_applied(lead, backup, started_triad):
    moment = started_triad.check_ins.open().order_by("due_on").first()
    was = moment.due_on
    url = reverse("triads:check_in_move", args=[started_triad.pk, moment.pk])
    bram, stale = both_open_then_first_saves(url, lead, backup, {"due_on": _day(3).isoformat()})

    refused = bram.post(url, stale | {"due_on": _day(5).isoformat()})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert f"<dt>Nieuwe datum</dt><dd>{_day(3):%d-%m-%Y}</dd>" in page
    assert f'value="{_day(5).isoformat()}"' in page, "the user's own input is kept"
    moment.refresh_from_db()
    assert moment.due_on == _day(3)
    assert list(moment.moves.values_list("was_due_on", "due_on", "by")) == [(was, _day(3), lead.pk)]

    response = bram.post(url, form_data(refused))

    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.due_on == _day(5)
    assert list(moment.moves.values_list("was_due_on", "due_on", "by")) == [
        (was, _day(3), lead.pk),
        (_day(3), _day(5), backup.pk),
    ]


def test_a_stale_save_of_the_youths_answers_is_refused_and_can_be_re_applied(lead, backup, started_triad):
    moment = started_triad.check_ins.get(kind=CheckIn.Kind.TRIAL_EVALUATION)
    url = reverse("triads:youth_view", args=[started_triad.pk, moment.pk])
    lotte = {"score": "2", "goes_well": "", "would_help": "Lotte wil minder ruzie thuis."}
    bram, stale = both_open_then_first_saves(url, lead, backup, lotte)

    refused = bram.post(url, stale | {"score": "5", "goes_well": "Alles gaat goed."})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "Lead heeft dit opgeslagen op" in page
    assert "<dd>Lotte wil minder ruzie thuis.</dd>" in page and "<dd>2</dd>" in page
    assert "Alles gaat goed.</textarea>" in page, "the user's own input is kept"
    view = EvaluationView.objects.get(check_in=moment, party=Party.YOUTH)
    assert (view.score, view.goes_well, view.would_help, view.by) == (2, "", lotte["would_help"], lead)

    response = bram.post(url, form_data(refused) | {"would_help": lotte["would_help"]})

    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.score, view.goes_well, view.would_help, view.by) == (
        5,
        "Alles gaat goed.",
        lotte["would_help"],
        backup,
    )


def test_two_tabs_of_the_jim_do_not_overwrite_each_others_answers(jim, started_triad):
    # The JIM's own answers are a stored record too: an older tab on the phone must not overwrite a newer one.
    moment = started_triad.check_ins.get(kind=CheckIn.Kind.TRIAL_EVALUATION)
    url = reverse("triads:jim_evaluation", args=[started_triad.pk, moment.pk])
    newer = {"score": "2", "goes_well": "", "would_help": "Een vaste dag."}
    older_tab, stale = both_open_then_first_saves(url, jim, jim, newer)

    refused = older_tab.post(url, stale | {"score": "5", "goes_well": "Alles is top."})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page and "<dd>Een vaste dag.</dd>" in page
    assert "Alles is top.</textarea>" in page
    view = EvaluationView.objects.get(check_in=moment, party=Party.JIM)
    assert (view.score, view.goes_well, view.would_help) == (2, "", "Een vaste dag.")

    response = older_tab.post(url, form_data(refused))

    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.score, view.goes_well, view.would_help) == (5, "Alles is top.", "")
