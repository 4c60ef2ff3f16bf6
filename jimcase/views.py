from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import youths_visible_to


def home(request):
    """Send each role to its own start page."""
    user = request.user
    if user.is_coordinator:
        return redirect("admin:index")
    if user.is_hulpverlener:
        return redirect("jimcase:caseload")
    if user.is_jim:
        return redirect("triads:mine")
    return render(request, "jimcase/no_role.html")


def caseload(request):
    """List the youths this professional may see."""
    if not request.user.is_hulpverlener:
        raise Http404
    youths = youths_visible_to(request.user)
    return render(request, "jimcase/caseload.html", {"youths": youths})


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Answer `ok` once the database answers, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")
