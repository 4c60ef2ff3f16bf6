from django.http import Http404
from django.shortcuts import render


def mine(request):
    """The JIM's start page: their own triad(s)."""
    if not request.user.is_jim:
        raise Http404
    return render(request, "triads/mine.html", {"triads": []})
