import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import services
from .access import get_youth_for, professional_only
from .forms import (
    AssignmentForm,
    CapacityForm,
    CaseloadFilterForm,
    DossierAccessForm,
    NobodyCanDecideForm,
    NoteForm,
    ParentForm,
    YouthForm,
)
from .models import CaseAssignment, DossierAccess, ParentGuardian, Youth
from .registry import caseload_notices, home_url_name, youth_file_sections, youth_flags
from .rules import NO_DECIDER_MISSING, may_manage_assignments
from .selectors import (
    CHANGE_YOUTH,
    VIEW_YOUTH,
    caseload_for,
    consent_deciders,
    dossier_for,
    youth_file_for,
    youth_visible_to,
    youths_visible_to,
)
from .stale import capacity_state
from .web import form_errors_from, next_path, redirect_to_next, submit_once

CASELOAD_PAGE_SIZE = 25


def home(request):
    """Send each role to its own start page (each app registers its page: settings.ROLE_HOME_PAGES)."""
    url_name = home_url_name(request.user)
    if url_name:
        return redirect(url_name)
    return render(request, "jimcase/no_role.html")


@professional_only
def caseload(request):
    """List the youths this professional may see, with filters and pages of 25."""
    form = CaseloadFilterForm(request.GET or None)
    q, stage = "", ""
    if form.is_valid():
        q, stage = form.cleaned_data["q"].strip(), form.cleaned_data["stage"]
    youths = caseload_for(request.user, q=q, stage=stage)
    page = Paginator(youths, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "jimcase/caseload.html",
        {
            "form": form,
            "page": page,
            "youths": youth_flags(page.object_list, timezone.localdate()),
            # Over the whole caseload, whatever the filter or page: an urgent question is never filtered away.
            "notices": caseload_notices(youths_visible_to(request.user), timezone.localdate()),
            "query": query.urlencode(),
        },
    )


@professional_only
def youth_create(request):
    """Register a youth; the professional becomes the lead."""
    if not request.user.has_perm("jimcase.add_youth") or request.user.organisation is None:
        raise Http404
    form = YouthForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "submission_token"}
        youth, done = submit_once(
            request,
            form,
            lambda: services.youth_register(by=request.user, organisation=form.organisation, **fields),
        )
        if done:
            if youth is None:
                return redirect("jimcase:caseload")
            messages.success(
                request, _("The youth is registered. Start with the wie-vraag: who could think along?")
            )
            if form.age_warning:
                messages.warning(request, form.age_warning)
            if consent_deciders(youth).minor:
                # A minor's triad needs someone who decides on consent: ask for the parents right away.
                return redirect("jimcase:parent_add", pk=youth.pk)
            return redirect("jimcase:youth_detail", pk=youth.pk)
    return render(request, "jimcase/youth_form.html", {"form": form})


@professional_only
def youth_detail(request, pk):
    """The youth's file: everything on one screen, in sections. Every visit is logged."""
    youth = get_youth_for(
        request.user, pk, VIEW_YOUTH, queryset=Youth.objects.select_related("team", "organisation")
    )
    file = youth_file_for(youth)
    file["deciders"] = consent_deciders(youth, parents=file["parents"])
    file["deciders_missing_text"] = NO_DECIDER_MISSING
    file["may_manage_assignments"] = may_manage_assignments(request.user, youth, file["assignments"])
    youth_flags([youth], timezone.localdate())
    sections = youth_file_sections(request, youth)
    return render(request, "jimcase/youth_detail.html", {"youth": youth, "sections": sections, **file})


@professional_only
def youth_edit(request, pk):
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    form = YouthForm(request.POST or None, instance=youth, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "submission_token"}
        _result, done = submit_once(
            request, form, lambda: services.youth_update(youth=youth, by=request.user, **fields)
        )
        if done:
            messages.success(request, _("Saved."))
            if form.age_warning:
                messages.warning(request, form.age_warning)
            return redirect("jimcase:youth_detail", pk=youth.pk)
    youth.refresh_from_db()
    return render(request, "jimcase/youth_form.html", {"form": form, "youth": youth})


@professional_only
def parent_edit(request, pk, parent_pk=None):
    """Add (no parent_pk) or change a parent or guardian."""
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    parent = (
        get_object_or_404(ParentGuardian, pk=parent_pk, youth=youth)
        if parent_pk
        else ParentGuardian(youth=youth)
    )
    form = ParentForm(request.POST or None, instance=parent)
    if request.method == "POST" and form.is_valid():
        _result, done = submit_once(
            request,
            form,
            lambda: services.parent_save(
                parent=form.instance, by=request.user, edit_version=form.cleaned_data.get("edit_version")
            ),
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect_to_next(request, "jimcase:youth_detail", youth.pk)
    return render(
        request,
        "jimcase/parent_form.html",
        {
            "form": form,
            "youth": youth,
            "parent": parent,
            "next": next_path(request),
            # On adding: a minor without anyone who can decide on consent is offered the other way out.
            "deciders": consent_deciders(youth) if parent.pk is None else None,
        },
    )


@professional_only
def nobody_can_decide(request, pk):
    """Record why no parent or guardian can decide on a minor's consent (added to the file's history)."""
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    form = NobodyCanDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _result, done = submit_once(
            request,
            form,
            lambda: services.nobody_can_decide_record(
                youth=youth, reason=data["reason"], explanation=data["explanation"], by=request.user
            ),
        )
        if done:
            messages.success(request, _("Recorded why nobody can decide on consent."))
            return redirect_to_next(request, "jimcase:youth_detail", youth.pk)
    return render(
        request,
        "jimcase/nobody_can_decide_form.html",
        {"form": form, "youth": youth, "deciders": consent_deciders(youth), "next": next_path(request)},
    )


@professional_only
def assignment_add(request, pk):
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    form = AssignmentForm(request.POST or None, youth=youth)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _result, done = submit_once(
            request,
            form,
            lambda: services.assignment_add(
                youth=youth,
                professional=data["professional"],
                role=data["role"],
                starts_on=data["starts_on"],
                by=request.user,
            ),
        )
        if done:
            messages.success(request, _("The professional now has access to this file."))
            return redirect("jimcase:youth_detail", pk=youth.pk)
    return render(request, "jimcase/assignment_form.html", {"form": form, "youth": youth})


@require_POST
@professional_only
def lead_hand_over(request, pk, assignment_pk):
    """The lead makes a backup professional the lead; the lead stays on as backup."""
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    assignment = get_object_or_404(CaseAssignment, pk=assignment_pk, youth=youth, ends_on__isnull=True)
    try:
        services.lead_hand_over(youth=youth, to=assignment.professional, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is now the lead professional.") % {"name": assignment.professional}
        )
    return redirect("jimcase:youth_detail", pk=youth.pk)


@require_POST
@professional_only
def assignment_end(request, pk, assignment_pk):
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    assignment = get_object_or_404(CaseAssignment, pk=assignment_pk, youth=youth)
    try:
        services.assignment_end(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jimcase:youth_detail", pk=youth.pk)
    messages.success(
        request,
        _("The assignment has ended; %(name)s no longer has access.") % {"name": assignment.professional},
    )
    if assignment.professional == request.user and not youth_visible_to(request.user, youth):
        return redirect("jimcase:caseload")
    return redirect("jimcase:youth_detail", pk=youth.pk)


@professional_only
def capacity_edit(request, pk):
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    stored = capacity_state(youth)
    form = CapacityForm(request.POST or None, initial=stored.values, stored=stored)
    if request.method == "POST" and form.is_valid():
        try:
            services.youth_capacity_record(
                youth=youth,
                by=request.user,
                deemed_incapable=form.cleaned_data["deemed_incapable"],
                motivation=form.cleaned_data["capacity_motivation"],
                stored_state=form.opened_state,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("jimcase:youth_detail", pk=youth.pk)
    return render(request, "jimcase/capacity_form.html", {"form": form, "youth": youth})


@professional_only
def note_add(request, pk):
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "submission_token"}
        _result, done = submit_once(
            request, form, lambda: services.note_add(youth=youth, author=request.user, **fields)
        )
        if done:
            messages.success(request, _("The note is saved."))
            return redirect("jimcase:youth_detail", pk=youth.pk)
    return render(request, "jimcase/note_form.html", {"form": form, "youth": youth})


@professional_only
def dossier_access(request, pk):
    """Produce the youth's file for someone who asks to read it (inzage), as a page to print or as JSON.

    What they get depends on who asks (jimcase.rules.DOSSIER_REQUESTERS); each production is recorded.
    """
    youth = get_youth_for(request.user, pk, CHANGE_YOUTH)
    form = DossierAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        produced, done = submit_once(
            request,
            form,
            lambda: services.dossier_access_produce(
                youth=youth,
                by=request.user,
                requester_type=data["requester_type"],
                requester_name=data["requester_name"],
                format=data["format"],
            ),
        )
        if produced is not None:
            dossier = dossier_for(youth, produced.requester_type)
            if produced.format == DossierAccess.Format.JSON:
                return _dossier_json(produced, dossier)
            return render(request, "jimcase/dossier_print.html", {"access": produced, **dossier})
    return render(request, "jimcase/dossier_form.html", {"form": form, "youth": youth})


def _dossier_json(access, dossier):
    youth = dossier["youth"]
    body = {
        "produced": {
            "at": timezone.localtime(access.at).isoformat(),
            "by": str(access.by),
            "for": access.requester_name,
            "requester": access.requester_type,
        },
        "youth": {
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "date_of_birth": youth.date_of_birth.isoformat() if youth.date_of_birth else None,
            "case_number": youth.case_number,
            "stage": youth.get_stage_display(),
        },
        "professionals": [
            {
                "name": str(a.professional),
                "role": a.get_role_display(),
                "from": a.starts_on.isoformat(),
                "until": a.ends_on.isoformat() if a.ends_on else None,
            }
            for a in dossier["assignments"]
        ],
        "notes": [
            {"date": n.written_on.isoformat(), "author": str(n.author), "text": n.text}
            for n in dossier["notes"]
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="dossier-{youth.case_number}-{access.pk}.json"'
    return response


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Answer `ok` once the database answers, for load balancers; 503 while it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # A load balancer reads "unavailable, try another server", not a crash page.
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """The page for an uncaught error (`handler500`): 503 with Retry-After while the database is away.

    A database restart or a dropped connection is over in seconds (docs/benchmarks.md: about two), and
    every service runs in one transaction, so nothing is half-saved: the user is told to try again in a
    moment, and a load balancer reads "unavailable", not a crash. Rendered without context processors,
    which could need the database. Any other error keeps Django's 500 page.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request)
