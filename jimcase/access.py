"""The one way a single youth is fetched for a user (the object, or 404), and who may open a professional's page."""

import functools

from django.http import Http404

from .selectors import VIEW_YOUTH, youths_visible_to


def require_professional(user):
    """The one check that a page is for professionals: anyone else gets a 404 (never a 403)."""
    if not user.is_professional:
        raise Http404


def professional_only(view):
    """A view for professionals only (`require_professional` before anything else the view does)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        require_professional(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def get_youth_for(user, pk, perm=VIEW_YOUTH, queryset=None):
    """Return youth `pk` if `user` holds `perm` on it; raise Http404 otherwise (never 403)."""
    visible = youths_visible_to(user, perm)
    if queryset is not None:
        visible = queryset.filter(pk__in=visible.values("pk"))
    try:
        return visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def youth_of_url(match):
    """The youth a page of the case core is about (its `pk`), for the access log."""
    if match.namespace == "jimcase" and "pk" in match.kwargs:
        return match.kwargs["pk"]
    return None
