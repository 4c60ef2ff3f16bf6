"""Pages of the wie-vraag: the youth's network and the search for a JIM. Professionals only.

Each view fetches the youth through jimcase.access.get_youth_for (404 when not permitted), then its
child objects filtered by that youth, so a guessed id tells nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jimcase.access import get_youth_for, require_professional
from jimcase.models import Youth
from jimcase.registry import consent_state_lines, search_found_next_url
from jimcase.selectors import CHANGE_YOUTH, VIEW_YOUTH, consent_deciders
from jimcase.web import sent_before, submit_once

from . import forms, rules, selectors, services
from .models import Candidate, CriminalRecordCheck, NetworkMember, Search, SuccessFactor
from .networkmap import network_map_svg
from .stale import record_check_state, screening_state

GET_POST = require_http_methods(["GET", "POST"])


def _youth(request, youth_pk, *, write=False):
    """The youth, if this professional may see it (or change it, for forms and writes); else 404."""
    require_professional(request.user)
    perm = CHANGE_YOUTH if write or request.method == "POST" else VIEW_YOUTH
    youth = get_youth_for(request.user, youth_pk, perm, queryset=Youth.objects.select_related("organisation"))
    return youth


def _search_url(youth):
    return redirect("mentors:search", youth_pk=youth.pk)


# --- Network ------------------------------------------------------------------------------------


def _map(youth, members, id_prefix="network-map", standalone=False):
    candidate_ids, chosen_ids = selectors.highlights_of(
        selectors.file_searches(youth), selectors.file_candidates(youth)
    )
    return (
        network_map_svg(
            youth=youth,
            members=members,
            candidate_ids=candidate_ids,
            chosen_ids=chosen_ids,
            id_prefix=id_prefix,
            standalone=standalone,
        ),
        candidate_ids,
        chosen_ids,
    )


@require_http_methods(["GET"])
def network(request, youth_pk):
    """The youth's network: the map and the list of people."""
    youth = _youth(request, youth_pk)
    members = selectors.network_of(youth)
    svg, candidate_ids, chosen_ids = _map(youth, members)
    for member in members:
        member.is_candidate = member.pk in candidate_ids
        member.is_jim = member.pk in chosen_ids
    topics = selectors.topics_in_use(members)
    topic = next((t for t in topics if str(t.pk) == request.GET.get("topic")), None)
    shown = [m for m in members if topic in m.topics.all()] if topic else members
    return render(
        request,
        "mentors/network.html",
        {
            "youth": youth,
            "members": shown,
            "member_total": len(members),
            "map_svg": svg,
            "topics": topics,
            "topic": topic,
        },
    )


@require_http_methods(["GET"])
def network_map(request, youth_pk):
    """The network map as an SVG file (to open, save or print on its own)."""
    youth = _youth(request, youth_pk)
    svg, _c, _j = _map(youth, selectors.network_of(youth), standalone=True)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@GET_POST
def member_add(request, youth_pk):
    """Add a person to the youth's network."""
    youth = _youth(request, youth_pk, write=True)
    if sent_before(request):
        return redirect("mentors:network", youth_pk=youth.pk)
    form = forms.NetworkMemberAddForm(request.POST or None, instance=NetworkMember(youth=youth))
    if request.method == "POST" and form.is_valid():
        member, done = submit_once(
            request,
            form,
            lambda: services.member_save(
                member=form.instance, by=request.user, topics=form.cleaned_data["topics"]
            ),
        )
        if done:
            if member is not None:
                messages.success(request, _("%(name)s was added to the network.") % {"name": member.name})
            return redirect("mentors:network", youth_pk=youth.pk)
    return render(
        request,
        "mentors/member_form.html",
        {"youth": youth, "form": form, "title": _("Add someone to the network")},
    )


@GET_POST
def member_edit(request, youth_pk, pk):
    """Change what is known about a person in the network."""
    youth = _youth(request, youth_pk, write=True)
    member = get_object_or_404(NetworkMember, pk=pk, youth=youth)
    form = forms.NetworkMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        _member, done = submit_once(
            request,
            form,
            lambda: services.member_save(
                member=form.instance,
                by=request.user,
                edit_version=form.cleaned_data["edit_version"],
                topics=form.cleaned_data["topics"],
            ),
        )
        if done:
            messages.success(request, _("The changes were saved."))
            return redirect("mentors:network", youth_pk=youth.pk)
    return render(
        request,
        "mentors/member_form.html",
        {"youth": youth, "form": form, "member": member, "title": _("Edit %(name)s") % {"name": member.name}},
    )


# --- The search ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def search(request, youth_pk):
    """The current (or latest) search, with its candidates; earlier searches below."""
    youth = _youth(request, youth_pk)
    searches = selectors.searches_of(youth)
    current = searches[0] if searches else None
    today = timezone.localdate()
    candidates = selectors.candidates_of(current, today=today) if current else []
    return render(
        request,
        "mentors/search.html",
        {
            "youth": youth,
            "search": current,
            "earlier": searches[1:],
            "candidates": candidates,
            "days_open": current.days_open(today) if current else None,
            "warning": current.warning_level(today) if current else "",
            "other_jim": selectors.other_jim_found(searches, current),
            "can_start": not current or not current.is_open,
            "factor_count": len(SuccessFactor),
            "limit_days": Search.LIMIT_DAYS,
            "warn_days": Search.WARN_DAYS,
            "next_step_url": search_found_next_url(current) if current and current.jim_profile_id else "",
        },
    )


@GET_POST
def search_start(request, youth_pk):
    """Start the wie-vraag for the youth (the help goes on hold)."""
    youth = _youth(request, youth_pk, write=True)
    if sent_before(request):
        return _search_url(youth)
    form = forms.SearchStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        started, done = submit_once(
            request,
            form,
            lambda: services.search_start(
                youth=youth, by=request.user, started_on=form.cleaned_data["started_on"]
            ),
        )
        if done:
            if started is not None:
                messages.success(
                    request, _("The search has started. The help is on hold until a JIM is found.")
                )
            return _search_url(youth)
    return render(
        request, "mentors/search_start.html", {"youth": youth, "form": form, "title": _("Start the search")}
    )


@GET_POST
def search_stop(request, youth_pk, pk):
    """Stop a search without a JIM, with a reason and a next step."""
    youth = _youth(request, youth_pk, write=True)
    the_search = get_object_or_404(Search, pk=pk, youth=youth)
    if sent_before(request):
        return _search_url(youth)
    form = forms.SearchStopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stopped, done = submit_once(
            request,
            form,
            lambda: services.search_stop(
                search=the_search,
                reason=data["reason"],
                next_step=data["next_step"],
                by=request.user,
                on=data["ended_on"],
            ),
        )
        if done:
            if stopped is not None:
                messages.success(request, _("The search was stopped."))
            return _search_url(youth)
    return render(
        request,
        "mentors/search_stop.html",
        {"youth": youth, "search": the_search, "form": form, "title": _("Stop the search")},
    )


# --- Candidates ---------------------------------------------------------------------------------


def _candidate(youth, pk, *related):
    candidate = get_object_or_404(
        Candidate.objects.select_related("search", "member", *related), pk=pk, search__youth=youth
    )
    candidate.search.youth = youth
    return candidate


@GET_POST
def candidate_add(request, youth_pk, pk):
    """Add someone the youth named as a candidate."""
    youth = _youth(request, youth_pk, write=True)
    the_search = get_object_or_404(Search, pk=pk, youth=youth)
    if sent_before(request):
        return _search_url(youth)
    form = forms.CandidateAddForm(request.POST or None, search=the_search)
    if request.method == "POST" and form.is_valid():
        added, done = submit_once(
            request,
            form,
            lambda: services.candidate_add(
                search=the_search, member=form.cleaned_data["member"], by=request.user
            ),
        )
        if done:
            if added is not None:
                messages.success(request, _("%(name)s is now a candidate.") % {"name": added.member.name})
            return _search_url(youth)
    return render(
        request,
        "mentors/candidate_add.html",
        {
            "youth": youth,
            "search": the_search,
            "form": form,
            "title": _("Add a candidate"),
            "has_choices": form.fields["member"].queryset.exists(),
        },
    )


@GET_POST
def candidate_status(request, youth_pk, pk):
    """Move a candidate to the next status; shows the history of moves."""
    youth = _youth(request, youth_pk, write=True)
    candidate = _candidate(youth, pk)
    if sent_before(request):
        return _search_url(youth)
    allowed = rules.allowed_statuses(candidate)
    form = forms.CandidateStatusForm(request.POST or None, allowed=allowed)
    if not form.is_bound and request.GET.get("to") in allowed:
        form.initial["to"] = request.GET["to"]  # a move from the search page that needs a reason
    if request.method == "POST" and form.is_valid():
        moved, done = submit_once(
            request,
            form,
            lambda: services.candidate_status_set(
                candidate=candidate,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
        )
        if done:
            if moved is not None:
                messages.success(
                    request,
                    _("%(name)s: %(status)s.")
                    % {"name": candidate.member.name, "status": moved.get_status_display()},
                )
            return _search_url(youth)
    history = candidate.history.select_related("by")
    return render(
        request,
        "mentors/candidate_status.html",
        {
            "youth": youth,
            "candidate": candidate,
            "form": form,
            "allowed": allowed,
            "history": history,
            "title": _("Status of %(name)s") % {"name": candidate.member.name},
        },
    )


@require_POST
def candidate_status_quick(request, youth_pk, pk):
    """Move a candidate one status on in one click from the search page (a move that needs a reason goes
    to the status page with that move chosen)."""
    youth = _youth(request, youth_pk, write=True)
    candidate = _candidate(youth, pk)
    to = request.POST.get("to", "")
    if to in rules.REASON_REQUIRED:
        return redirect(f"{reverse('mentors:candidate_status', args=[youth.pk, candidate.pk])}?to={to}")
    if to and candidate.status == to:
        return _search_url(youth)  # the same click sent twice: it is done already
    try:
        moved = services.candidate_status_set(candidate=candidate, to=to, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": candidate.member.name, "status": moved.get_status_display()},
        )
    return _search_url(youth)


@require_POST
def candidate_move(request, youth_pk, pk):
    """Move a candidate up or down in the youth's order of preference."""
    youth = _youth(request, youth_pk, write=True)
    candidate = _candidate(youth, pk)
    try:
        services.candidate_move(
            candidate=candidate, direction=request.POST.get("direction", ""), by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _search_url(youth)


@GET_POST
def candidate_screening(request, youth_pk, pk):
    """Check the candidate against the seven success factors."""
    youth = _youth(request, youth_pk, write=True)
    candidate = _candidate(youth, pk)
    checks = {c.factor: c for c in candidate.checks.select_related("checked_by")}
    form = forms.ScreeningForm(
        request.POST or None,
        checks=checks,
        suggestions=rules.factor_suggestions(candidate.member),
        stored=screening_state(checks.values()),
    )
    if request.method == "POST" and form.is_valid():
        _checks, done = submit_once(
            request,
            form,
            lambda: services.screening_record(
                candidate=candidate, results=form.results(), by=request.user, stored_state=form.opened_state
            ),
            field_for=form.field_for,
        )
        if done:
            messages.success(
                request, _("The screening of %(name)s was saved.") % {"name": candidate.member.name}
            )
            return _search_url(youth)
    factors = [
        {
            "label": factor.label,
            "check": checks.get(factor),
            "result": form[f"{factor.value}_result"],
            "justification": form[f"{factor.value}_justification"] if factor != SuccessFactor.ADULT else None,
            "is_parents_agree": factor == SuccessFactor.PARENTS_AGREE,
        }
        for factor in SuccessFactor
    ]
    # Beside "the parents agree": what the file records about consent, so the two cannot silently disagree.
    consent = {"deciders": consent_deciders(youth), "lines": consent_state_lines(youth)}
    return render(
        request,
        "mentors/screening.html",
        {
            "youth": youth,
            "candidate": candidate,
            "form": form,
            "factors": factors,
            "consent": consent,
            "title": _("Screening of %(name)s") % {"name": candidate.member.name},
        },
    )


@GET_POST
def candidate_record_check(request, youth_pk, pk):
    """Record that the candidate's criminal-record extract was seen (never the document itself)."""
    youth = _youth(request, youth_pk, write=True)
    candidate = _candidate(youth, pk)
    existing = (
        CriminalRecordCheck.objects.filter(candidate=candidate)
        .select_related("checked_by", "age_exception_by")
        .first()
    )
    # Taken before the form is bound: a bound ModelForm writes the input onto the instance.
    stored = record_check_state(existing)
    form = forms.RecordCheckForm(
        request.POST or None, instance=existing or CriminalRecordCheck(candidate=candidate), stored=stored
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _check, done = submit_once(
            request,
            form,
            lambda: services.record_check_save(
                candidate=candidate,
                kind=data["kind"],
                issued_on=data["issued_on"],
                checked_on=data["checked_on"],
                by=request.user,
                stored_state=form.opened_state,
            ),
        )
        if done:
            messages.success(request, _("The criminal-record check was saved."))
            if warning := rules.record_check_warning(_check):
                messages.warning(request, warning)
            return _search_url(youth)
    return render(
        request,
        "mentors/record_check.html",
        {
            "youth": youth,
            "candidate": candidate,
            "form": form,
            "existing": existing,
            "warning": rules.record_check_warning(existing),
            "max_age_days": settings.CRIMINAL_RECORD_MAX_AGE_DAYS,
            "required": youth.organisation.requires_criminal_record_extract,
            "title": _("Criminal-record extract of %(name)s") % {"name": candidate.member.name},
        },
    )


@GET_POST
def candidate_record_exception(request, youth_pk, pk):
    """Let an extract older than the organisation's maximum stand, with a written reason (who, when, why)."""
    youth = _youth(request, youth_pk, write=True)
    candidate = _candidate(youth, pk)
    check = CriminalRecordCheck.objects.filter(candidate=candidate).select_related("age_exception_by").first()
    if not rules.record_check_too_old(check) or check.age_exception_reason:
        # Nothing to except, or already excepted (once per extract): the extract's page says which.
        return redirect("mentors:candidate_record_check", youth_pk=youth.pk, pk=candidate.pk)
    form = forms.RecordCheckExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _check, done = submit_once(
            request,
            form,
            lambda: services.record_check_exception_record(
                candidate=candidate, reason=form.cleaned_data["reason"], by=request.user
            ),
        )
        if done:
            messages.success(request, _("The exception was recorded."))
            return _search_url(youth)
    return render(
        request,
        "mentors/record_exception.html",
        {
            "youth": youth,
            "candidate": candidate,
            "form": form,
            "check": check,
            "warning": rules.record_check_warning(check),
            "title": _("Exception for the extract of %(name)s") % {"name": candidate.member.name},
        },
    )


@GET_POST
def candidate_choose(request, youth_pk, pk):
    """Record that the youth chose this candidate as JIM: the search closes as found."""
    youth = _youth(request, youth_pk, write=True)
    candidate = _candidate(youth, pk, "record_check")
    if sent_before(request):
        return _search_url(youth)
    form = forms.ChooseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen, done = submit_once(
            request,
            form,
            lambda: services.jim_choose(
                search=candidate.search,
                candidate=candidate,
                by=request.user,
                on=form.cleaned_data["chosen_on"],
            ),
        )
        if done:
            if chosen is not None:
                messages.success(
                    request,
                    _("%(name)s is the JIM of %(youth)s.")
                    % {
                        "name": candidate.member.name,
                        "youth": youth.first_name,
                    },
                )
            return _search_url(youth)
    return render(
        request,
        "mentors/choose.html",
        {
            "youth": youth,
            "candidate": candidate,
            "form": form,
            **selectors.choice_page_for(candidate, youth=youth),
            "title": _("Choose %(name)s as JIM") % {"name": candidate.member.name},
        },
    )
