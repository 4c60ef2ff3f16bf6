"""The youth's stage: where a youth is in the method, in the core's words, and the one rule that derives it.

In DESIGN terms, the method runs: referred → the wie-vraag (help on hold while searching) → a JIM found (or
the search stopped) → in a triad (trial, then active) → the triad ended. The stage is the case core's summary
of that path, one column on the youth, because the caseload, the file, the admin and the reports all filter
on it. Its *meaning* is split on purpose:

- the core owns the vocabulary (`Stage`, and `StageChangeWhy`, the reasons a stage moved) and the rule
  (`stage_from`): what is going on outranks what happened, in `STAGE_PRECEDENCE`;
- the apps own the facts: the wie-vraag (mentors) reports an open, found or stopped search, the triads a
  running or ended triad, each as a `StageFact` through `settings.YOUTH_STAGE_FACTS`;
- only `jimcase.services.youth_stage_refresh` writes the stage and its history, from those facts.

So no app sets a stage, and the core never asks another app what a search or a triad is: it reads facts.
"""

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where the youth is in the JIM trajectory; moved only by services."""

    REFERRED = "referred", _("referred")
    SEARCHING = "searching", _("wie-vraag: searching (help on hold)")
    JIM_FOUND = "jim_found", _("JIM found")
    SEARCH_STOPPED = "search_stopped", _("search stopped")
    IN_TRIAD = "in_triad", _("in a triad")
    TRIAD_ENDED = "triad_ended", _("triad ended")


class StageChangeWhy(models.TextChoices):
    """The reasons the application itself records: stored as a code, shown in the reader's language."""

    REGISTERED = "registered", _("Registered")
    CORRECTED = "corrected", _("Corrected: the stage contradicted the open search or triad")
    SEARCH_STARTED = "search_started", _("Wie-vraag started")
    SEARCH_STOPPED = "search_stopped", _("Wie-vraag stopped")
    JIM_CHOSEN = "jim_chosen", _("JIM chosen")
    TRIAD_TRIAL = "triad_trial", _("Triad: trial period")
    TRIAD_ENDED = "triad_ended", _("Triad: ended")


class StageFact(NamedTuple):
    """A fact an app reports about a youth (settings.YOUTH_STAGE_FACTS): the stage it points to, since
    when, and whether it is still going on (an open search, a running triad) or an event that happened
    (a search stopped or found a JIM, a triad ended)."""

    stage: str
    on: object  # a date
    ongoing: bool = False


#: When two facts weigh the same (both going on, or events on the same day), the first here wins.
STAGE_PRECEDENCE = [Stage.IN_TRIAD, Stage.SEARCHING, Stage.TRIAD_ENDED, Stage.JIM_FOUND, Stage.SEARCH_STOPPED]
REFERRED = Stage.REFERRED


def stage_from(facts):
    """The youth's stage, derived from the facts in one rule, so that it cannot contradict them.

    What is going on outranks what happened: a running triad first (a search started during a triad is a
    search for a second JIM, and the youth stays in the triad), then an open search (help on hold). With
    nothing going on, the latest event decides (a search stopped, a JIM found, a triad ended); a youth
    with no facts is referred. Returns (stage, since).
    """
    ongoing = [fact for fact in facts if fact.ongoing]
    if ongoing:
        fact = min(ongoing, key=lambda f: STAGE_PRECEDENCE.index(f.stage))
        return fact.stage, fact.on
    if not facts:
        return REFERRED, None
    fact = max(facts, key=lambda f: (f.on, -STAGE_PRECEDENCE.index(f.stage)))
    return fact.stage, fact.on
