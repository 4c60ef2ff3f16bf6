"""What the search's forms without an edit version were opened on (jimcase.stale): the screening, the extract."""

from django.utils.translation import gettext as _

from jimcase.stale import StoredState

from .models import SuccessFactor


def screening_state(checks):
    """The candidate's stored success-factor checks as the screening form names them, with the last checker.

    A factor not checked yet is absent: a colleague's first screening changes the state as well.
    """
    values, labels = {}, {}
    for check in checks:
        factor = SuccessFactor(check.factor)
        values[f"{factor.value}_result"] = check.result
        labels[f"{factor.value}_result"] = f"{factor.label}: {_('result')}"
        if factor != SuccessFactor.ADULT:
            values[f"{factor.value}_justification"] = check.justification
            labels[f"{factor.value}_justification"] = f"{factor.label}: {_('justification')}"
    latest = max(checks, key=lambda check: check.checked_at, default=None)
    return StoredState(
        values=values,
        by=latest.checked_by if latest else None,
        at=latest.checked_at if latest else None,
        labels=labels,
    )


def record_check_state(check):
    """The candidate's criminal-record check as the extract form names it, with who recorded it and when.

    No check yet (None or unsaved): empty, so a colleague's first record changes the state as well. The
    exception for an old extract is not part of it: its own form records it once, and a new extract drops it.
    """
    if check is None or check.pk is None:
        return StoredState(values={})
    return StoredState(
        values={"kind": check.kind, "issued_on": check.issued_on, "checked_on": check.checked_on},
        by=check.checked_by,
        at=check.recorded_at,
    )
