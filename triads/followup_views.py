"""Follow-up of a running triad by the professional: plan, evaluations, fallback requests, closure.

Every page here writes, so it asks for the change permission on the youth; a triad that has ended stays
readable on its own page but takes no new plan changes or evaluations.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jimcase.selectors import CHANGE_YOUTH
from jimcase.web import form_errors_from, next_path, redirect_to_next, submit_once

from . import services
from .access import get_triad_for_professional
from .followup_forms import (
    CheckInMoveForm,
    CheckInPlanForm,
    ClosureForm,
    EvaluationForm,
    FallbackHandleForm,
    NoteShareForm,
)
from .jim_views import evaluation_view_sent
from .models import CheckIn, Evaluation, FallbackRequest, NoteShare, Party
from .selectors import shareable_notes, views_of_moment
from .stale import check_in_state


def _running_triad(request, pk):
    """The triad, for a write; None (with a message) when it no longer runs."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    if not triad.is_running:
        if triad.has_ended:
            messages.info(request, _("This triad has ended: its follow-up can be read, no longer changed."))
        else:
            messages.info(request, _("The follow-up starts with the trial period."))
        return triad, False
    return triad, True


def _open_check_in(triad, check_in_pk):
    return get_object_or_404(CheckIn.objects.open(), pk=check_in_pk, triad=triad)


def _page(request, template, triad, form, **extra):
    return render(request, template, {"form": form, "triad": triad, "youth": triad.youth, **extra})


def check_in_add(request, pk):
    """Add a check-in or an evaluation moment to the triad's plan."""
    triad, running = _running_triad(request, pk)
    if not running:
        return redirect("triads:detail", pk=triad.pk)
    form = CheckInPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _result, done = submit_once(
            request,
            form,
            lambda: services.check_in_plan(
                triad=triad,
                due_on=form.cleaned_data["due_on"],
                kind=form.cleaned_data["kind"],
                by=request.user,
            ),
        )
        if done:
            messages.success(request, _("The moment is added to the plan."))
            return redirect(_plan_url(triad))
    return _page(request, "triads/followup_check_in_form.html", triad, form)


def check_in_move(request, pk, check_in_pk):
    """Move a planned moment that has not taken place to another date."""
    triad, running = _running_triad(request, pk)
    if not running:
        return redirect("triads:detail", pk=triad.pk)
    check_in = _open_check_in(triad, check_in_pk)
    form = CheckInMoveForm(
        request.POST or None, initial={"due_on": check_in.due_on}, stored=check_in_state(check_in)
    )
    if request.method == "POST" and form.is_valid():
        _result, done = submit_once(
            request,
            form,
            lambda: services.check_in_move(
                check_in=check_in,
                due_on=form.cleaned_data["due_on"],
                by=request.user,
                stored_state=form.opened_state,
            ),
        )
        if done:
            messages.success(request, _("The moment is moved."))
            return redirect(_plan_url(triad))
    return _page(request, "triads/followup_check_in_form.html", triad, form, check_in=check_in)


@require_POST
def check_in_done(request, pk, check_in_pk):
    """A planned moment took place today: a check-in of a running triad, or the lead's conversation with the
    youth some weeks after the triad ended."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    check_in = _open_check_in(triad, check_in_pk)
    if triad.is_running or check_in.is_after_closure:
        services.check_in_done(check_in=check_in, on=timezone.localdate(), by=request.user)
        messages.success(request, _("The moment is recorded as done."))
    else:
        messages.info(request, _("This triad has ended: its follow-up can be read, no longer changed."))
    return redirect(_plan_url(triad))


def check_in_cancel(request, pk, check_in_pk):
    """Remove a planned check-in (the evaluation at the end of the trial stays): GET asks, POST does it."""
    triad, running = _running_triad(request, pk)
    if not running:
        return redirect(_plan_url(triad))
    check_in = _open_check_in(triad, check_in_pk)
    if request.method == "POST":
        try:
            services.check_in_cancel(check_in=check_in, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The moment is removed from the plan."))
        return redirect(_plan_url(triad))
    if check_in.is_trial_evaluation:
        messages.error(request, _("This moment cannot be removed."))
        return redirect(_plan_url(triad))
    return _confirm(
        request,
        triad,
        heading=_("Remove the %(kind)s of %(day)s")
        % {"kind": check_in.get_kind_display(), "day": date_format(check_in.due_on, "SHORT_DATE_FORMAT")},
        consequence=_(
            "The moment leaves the plan: no reminder, no longer overdue. The plan keeps it, struck "
            "through, with your name and the time."
        ),
        confirm_label=_("Yes, remove"),
        back_url=_plan_url(triad),
    )


def _confirm(request, triad, **context):
    """The confirm page: what will happen, a button that posts to the same URL, and the way back."""
    return render(
        request,
        "triads/confirm.html",
        {"triad": triad, "youth": triad.youth, "next": next_path(request), **context},
    )


def evaluation_add(request, pk):
    """Record an evaluation; at the end of the trial it carries the decision (continue, adjust, end)."""
    triad, running = _running_triad(request, pk)
    if not running:
        return redirect("triads:detail", pk=triad.pk)
    initial = {}
    chosen = request.POST.get("check_in") if request.method == "POST" else request.GET.get("check_in")
    moment = _open_moment_or_none(triad, chosen)
    if request.method == "GET" and moment is not None:
        initial["check_in"] = moment.pk
    form = EvaluationForm(request.POST or None, triad=triad, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _result, done = submit_once(
            request,
            form,
            lambda: services.evaluation_record(
                triad=triad,
                by=request.user,
                held_on=data["held_on"],
                score=data["score"],
                text=data["text"],
                decision=data.get("decision", ""),
                check_in=data["check_in"],
                participants=form.participants(),
                note_flags=form.note_flags(),
                share_with_jim_on=form.share_with_jim_on(),
                early_reason=data.get("early_reason", ""),
            ),
        )
        if done:
            decision = data.get("decision", "")
            if decision == Evaluation.Decision.END:
                messages.success(
                    request, _("The evaluation is saved. Now close the triad with a plan for the youth.")
                )
                return redirect("triads:close", pk=triad.pk)
            messages.success(
                request,
                {
                    Evaluation.Decision.CONTINUE: _("The evaluation is saved. The triad is now active."),
                    Evaluation.Decision.ADJUST: _(
                        "The evaluation is saved. Adjust the agreement in a new version; the trial goes on."
                    ),
                }.get(decision, _("The evaluation is saved.")),
            )
            if decision == Evaluation.Decision.ADJUST:
                return redirect("triads:agreement_edit", pk=triad.pk)
            return redirect("triads:detail", pk=triad.pk)
    if moment is None or not moment.is_evaluation:
        return _page(request, "triads/followup_evaluation_form.html", triad, form)
    # A planned evaluation: the JIM's and the youth's views, beside the professional's own (the form).
    jim_view, youth_view = views_of_moment(moment)
    back = reverse("triads:evaluation_add", args=[triad.pk]) + "?" + urlencode({"check_in": moment.pk})
    return _page(
        request,
        "triads/followup_evaluation_form.html",
        triad,
        form,
        moment=moment,
        jim_view=jim_view,
        youth_view=youth_view,
        youth_view_url=reverse("triads:youth_view", args=[triad.pk, moment.pk])
        + "?"
        + urlencode({"next": back}),
    )


def _open_moment_or_none(triad, value):
    """The triad's open planned moment whose id is `value` (from the address or the form), or None."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return None
    return CheckIn.objects.open().filter(triad=triad, pk=value).first()


def youth_view(request, pk, check_in_pk):
    """Write down the youth's own view before a planned evaluation: the JIM's three questions, in the youth's words."""
    triad, running = _running_triad(request, pk)
    if not running:
        return redirect("triads:detail", pk=triad.pk)
    check_in = get_object_or_404(
        CheckIn.objects.open().filter(kind__in=CheckIn.EVALUATION_KINDS), pk=check_in_pk, triad=triad
    )
    _jim_view, view = views_of_moment(check_in)
    form, done = evaluation_view_sent(request, check_in=check_in, party=Party.YOUTH, view=view)
    if done:
        messages.success(request, _("The youth's view is saved."))
        return redirect_to_next(request, _plan_url(triad))
    return _page(
        request,
        "triads/followup_youth_view_form.html",
        triad,
        form,
        check_in=check_in,
        view=view,
        next=next_path(request),
    )


def close(request, pk):
    """End the triad: reason, exit conversations, the plan for the youth. The JIM loses access at once."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    if triad.has_ended:
        messages.info(request, _("This triad has already ended."))
        return redirect("triads:detail", pk=triad.pk)
    form = ClosureForm(request.POST or None, triad=triad)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _result, done = submit_once(
            request,
            form,
            lambda: services.triad_close(
                triad=triad,
                by=request.user,
                reason=data["reason"],
                ended_on=data["ended_on"],
                after_plan=data["after_plan"],
                exit_youth=data["exit_youth"],
                exit_jim=data["exit_jim"],
                exit_professional=data["exit_professional"],
                continues_informally=data["continues_informally"],
                living_situation=data["living_situation"],
                placement_outcome=data["placement_outcome"],
                goals_reached=data["goals_reached"],
                outcome_explanation=data["outcome_explanation"],
            ),
        )
        if done:
            messages.success(request, _("The triad is closed. The JIM no longer has access to it."))
            return redirect("triads:detail", pk=triad.pk)
    return _page(request, "triads/followup_close_form.html", triad, form)


def note_share(request, pk):
    """Share one of the youth's notes with this triad's JIM (only notes without a confidentiality flag)."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    if triad.has_ended:
        messages.info(request, _("This triad has ended: its follow-up can be read, no longer changed."))
        return redirect("triads:detail", pk=triad.pk)
    form = NoteShareForm(request.POST or None, notes=shareable_notes(triad))
    if request.method == "POST" and form.is_valid():
        _share, done = submit_once(
            request,
            form,
            lambda: services.note_share(
                note=form.cleaned_data["note"],
                triad=triad,
                agreed_on=form.cleaned_data["agreed_on"],
                by=request.user,
            ),
            field_for=lambda key: {"agreed_on": "agreed_on"}.get(key, "note"),
        )
        if done:
            messages.success(request, _("The note is shared with the JIM."))
            return redirect(_notes_url(triad))
    return _page(request, "triads/note_share_form.html", triad, form)


@require_POST
def note_unshare(request, pk, share_pk):
    """Stop sharing a note with the JIM."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    share = get_object_or_404(NoteShare, pk=share_pk, triad=triad)
    services.note_unshare(share=share, by=request.user)
    messages.success(request, _("The JIM no longer sees this note."))
    return redirect(_notes_url(triad))


def _notes_url(triad):
    return reverse("triads:detail", args=[triad.pk]) + "#h-shared-notes"


def fallback_handle(request, pk, request_pk):
    """The professional has thought along with the JIM: the request leaves the open list (GET asks first)."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    fallback_request = get_object_or_404(FallbackRequest, pk=request_pk, triad=triad)
    if fallback_request.is_handled:
        messages.info(request, _("This request was already handled."))
        return redirect_to_next(request, "triads:detail", triad.pk)
    # What was agreed goes with it: the JIM reads it on their page.
    form = FallbackHandleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fallback_request_handle(
                request=fallback_request, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.info(request, " ".join(error.messages))
                return redirect_to_next(request, "triads:detail", triad.pk)
            form_errors_from(form, error)
        else:
            messages.success(request, _("Marked as handled."))
            return redirect_to_next(request, "triads:detail", triad.pk)
    return _confirm(
        request,
        triad,
        heading=_("Mark the question of %(day)s as handled")
        % {"day": date_format(timezone.localtime(fallback_request.created_at), "SHORT_DATETIME_FORMAT")},
        quote=fallback_request.message,
        consequence=_(
            "The question leaves the open lists on the caseload, the file and the triad page, no more "
            "reminders are sent, and the JIM sees that it was picked up, with your answer. It is kept as "
            "handled, with your name and the time."
        ),
        confirm_label=_("Yes, handled"),
        back_url=next_path(request) or reverse("triads:detail", args=[triad.pk]) + "#h-requests",
        form=form,
    )


def _plan_url(triad):
    return reverse("triads:detail", args=[triad.pk]) + "#h-plan"
