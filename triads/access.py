"""Fetch one triad for a user, or 404. Professionals reach it through the youth; a JIM through their grant."""

from django.http import Http404

from jimcase.access import require_professional
from jimcase.selectors import VIEW_YOUTH

from .selectors import triads_for_professional, triads_of_mentor


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_triad_for_professional(user, pk, perm=VIEW_YOUTH):
    require_professional(user)
    return _get(
        triads_for_professional(user, perm).select_related("youth", "jim_profile", "fallback", "search"),
        pk,
    )


def get_triad_for_jim(user, pk):
    if not user.is_jim:
        raise Http404
    return _get(triads_of_mentor(user), pk)


def get_running_triad_for_jim(user, pk):
    """The JIM's triad once its trial started: until then a JIM only reads and signs the agreement."""
    if not user.is_jim:
        raise Http404
    return _get(triads_of_mentor(user).running(), pk)
