"""What the search's forms without an edit version were opened on (jimcase.stale): the screening."""

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
