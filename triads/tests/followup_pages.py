"""What the tests of the follow-up pages share: days, the pages, form data, a triad's state."""

import datetime

from django.urls import reverse
from django.utils import timezone

from jimcase.models import Note
from triads import services
from triads.models import (
    CheckIn,
    CheckInMove,
    Closure,
    EndReason,
    Evaluation,
)
from triads.tests.conftest import OUTCOME

Kind = CheckIn.Kind


def days(n):
    return datetime.timedelta(days=n)


def today():
    return timezone.localdate()


def iso(day):
    return day.isoformat()


def followup_urls(triad):
    """Every follow-up page of a triad, with the method that reaches it."""
    moment = triad.check_ins.open().order_by("due_on").first()
    request = services.fallback_request_send(triad=triad, by=triad.jim_profile.user, message="Even bellen?")
    return [
        ("get", reverse("triads:check_in_add", args=[triad.pk])),
        ("get", reverse("triads:check_in_move", args=[triad.pk, moment.pk])),
        ("get", reverse("triads:check_in_cancel", args=[triad.pk, moment.pk])),
        ("get", reverse("triads:evaluation_add", args=[triad.pk])),
        ("get", reverse("triads:close", args=[triad.pk])),
        ("get", reverse("triads:fallback_handle", args=[triad.pk, request.pk])),
    ]


def evaluation_data(**overrides):
    data = {
        "held_on": iso(today()),
        "check_in": "",
        "with_youth": "on",
        "with_jim": "on",
        "with_professional": "on",
        "score": "4",
        "text": "Lotte en Wilma zien elkaar graag.",
        "decision": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def closure_data(**overrides):
    data = {
        "reason": EndReason.GOAL_REACHED,
        "ended_on": iso(today()),
        "exit_youth": "Lotte is tevreden.",
        "exit_jim": "",
        "exit_professional": "",
        "after_plan": "Lotte gaat verder met Anna; over drie maanden een opvolggesprek.",
        **OUTCOME,
    }
    data.update(overrides)
    return data


def state(triad):
    """What a refused form must leave untouched."""
    triad.refresh_from_db()
    return (
        triad.status,
        list(triad.check_ins.values_list("pk", "due_on", "done_on", "removed_at")),
        CheckInMove.objects.count(),
        Evaluation.objects.count(),
        Note.objects.count(),
        Closure.objects.count(),
        triad.agreements.count(),
    )
