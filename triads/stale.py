"""What the triad's forms without an edit version were opened on (jimcase.stale): a moment's date, the answers.

A planned moment's date and the answers before an evaluation (the JIM's own, or the youth's written down
by a professional) are changed in place, so two tabs could overwrite each other: their forms carry these
states' fingerprints and the services refuse a save made on an older one.
"""

from jimcase.stale import StoredState


def check_in_state(check_in):
    """A planned moment's date as the move form names it, with who moved it last and when (its history)."""
    latest = check_in.moves.select_related("by").order_by("at", "pk").last()
    return StoredState(
        values={"due_on": check_in.due_on},
        by=latest.by if latest else None,
        at=latest.at if latest else None,
    )


def evaluation_view_state(view):
    """The answers of one party before an evaluation (models.EvaluationView), with who saved them and when.

    No answers yet (None): empty, so a first save from another tab changes the state as well.
    """
    if view is None:
        return StoredState(values={})
    return StoredState(
        values={"score": view.score, "goes_well": view.goes_well, "would_help": view.would_help},
        by=view.by,
        at=view.at,
    )
