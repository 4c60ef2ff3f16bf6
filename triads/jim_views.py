"""The JIM's pages: phone first, warm and light (B1 Dutch). A JIM sees only their own live triads, and
until a triad's trial starts only its agreement to sign, the guide and whom to call about the agreement.

What a JIM may see of the youth is the triad, not the case: the first name, the agreement, the
fallback professional, the next moment to look back together, and the notes the youth agreed to
share with the JIM. Never other notes, the network, candidates, parents, case number or last name.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jimcase.models import current_leads_prefetch
from jimcase.web import form_errors_from, submit_once
from mentors import services as mentor_services
from mentors.models import PeerMeeting
from mentors.selectors import jim_profile_of, upcoming_meetings_for

from . import services
from .access import get_running_triad_for_jim, get_triad_for_jim
from .forms import SignForm
from .jim_forms import EvaluationViewForm, FallbackRequestForm, JimLogForm, LogShareForm, YesNoForm
from .models import AGREEMENT_SECTIONS, CheckIn, Party, Signature
from .selectors import (
    fallback_mail_not_sent,
    farewells_for_mentor,
    jim_view_of,
    log_of,
    open_moments_for_jim,
    reaches_peer_network,
    requests_of,
    requests_on_jim_page,
    shared_notes_for_jim,
    triads_of_mentor,
)
from .stale import evaluation_view_state

LOG_PAGE_SIZE = 20
REQUESTS_SHOWN = 20


def _data(request):
    """The POST data, bound even when empty (an unticked box alone posts nothing)."""
    return request.POST if request.method == "POST" else None


def _profile_of(user):
    """The JIM's own profile, or 404 for anyone who is not a JIM."""
    if not user.is_jim:
        raise Http404
    profile = jim_profile_of(user)
    if profile is None:
        raise Http404
    return profile


def _peer_profile_of(user):
    """The JIM's profile if they may reach the peer network now (a running triad, or alumni); else 404."""
    profile = _profile_of(user)
    if not reaches_peer_network(profile):
        raise Http404
    return profile


# --- Pages --------------------------------------------------------------------------------------


def mine(request):
    """The JIM's start page: their own triad(s), and a farewell for a triad of theirs that ended lately."""
    if not request.user.is_jim:
        raise Http404
    triads = list(triads_of_mentor(request.user))
    farewells = list(farewells_for_mentor(request.user))
    if len(triads) == 1 and not farewells:
        return redirect("triads:jim_triad", pk=triads[0].pk)
    profile = jim_profile_of(request.user)
    in_peers = profile is not None and reaches_peer_network(profile)
    return render(
        request,
        "triads/mine.html",
        {"triads": triads, "farewells": farewells, "in_peers": in_peers, "profile": profile},
    )


def jim_triad(request, pk):
    """ "Mijn triade": the youth's first name, whom to call, the next moment, what is shared, the agreement."""
    triad = get_triad_for_jim(request.user, pk)
    agreement = triad.current_agreement
    signatures = list(agreement.signatures.all()) if agreement else []
    signed = any(s.party == Party.JIM for s in signatures)
    form = SignForm(_data(request), initial={"typed_name": triad.jim_profile.name})
    if request.method == "POST" and agreement and not signed and form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                party=Party.JIM,
                method=Signature.Method.LOGGED_IN,
                typed_name=form.cleaned_data["typed_name"],
                user=request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Thank you for signing!"))
            return redirect("triads:jim_triad", pk=triad.pk)
    if not triad.is_running:
        # Until the trial starts: the agreement to sign, the guide, and whom to call about the agreement.
        return _draft_page(request, triad, agreement, signed, form)
    moments = open_moments_for_jim(triad)
    waiting, answered = requests_on_jim_page(triad, request.user)
    return render(
        request,
        "triads/jim_triad.html",
        {
            **_agreement_context(triad, agreement, signed, form),
            "next_moment": moments[0] if moments else None,
            # The JIM's three questions wait for the next evaluation, until it is recorded.
            "next_evaluation": next((m for m in moments if m.is_evaluation), None),
            "today": timezone.localdate(),
            "shared_notes": list(shared_notes_for_jim(triad)),
            "waiting": waiting,
            "answered": answered,
            "in_peers": reaches_peer_network(triad.jim_profile),
            "messages_not_sent": fallback_mail_not_sent(triad),
        },
    )


def _agreement_context(triad, agreement, signed, form):
    """What every JIM's triad page shows of the agreement and its signing, and whether the guide is unread."""
    return {
        "triad": triad,
        "agreement": agreement,
        "sections": [(heading, getattr(agreement, name)) for name, heading in AGREEMENT_SECTIONS]
        if agreement
        else [],
        "signed": signed,
        "form": form,
        "guide_unread": triad.jim_profile.onboarding_read_on is None,
    }


def _draft_page(request, triad, agreement, signed, form):
    """The JIM's page of a triad whose trial has not started: the agreement, the guide, the lead to call."""
    return render(
        request,
        "triads/jim_triad_draft.html",
        {**_agreement_context(triad, agreement, signed, form), "lead": triad.lead},
    )


def jim_evaluation(request, pk, check_in_pk):
    """Three short questions before an evaluation; the JIM may change the answers until it is recorded."""
    triad = get_running_triad_for_jim(request.user, pk)
    check_in = get_object_or_404(triad.check_ins.filter(kind__in=CheckIn.EVALUATION_KINDS), pk=check_in_pk)
    if check_in.done_on is not None:
        messages.info(request, _("This evaluation has taken place. Your answers can no longer change."))
        return redirect("triads:jim_triad", pk=triad.pk)
    view = jim_view_of(check_in)
    form, done = evaluation_view_sent(request, check_in=check_in, party=Party.JIM, view=view)
    if done:
        messages.success(request, _("Thank you! The professional reads your answers before the talk."))
        return redirect("triads:jim_triad", pk=triad.pk)
    return render(
        request,
        "triads/jim_evaluation.html",
        {"triad": triad, "check_in": check_in, "view": view, "form": form},
    )


def evaluation_view_sent(request, *, check_in, party, view):
    """The three questions for `party` (the JIM, or the youth through the professional): (form, saved now)."""
    form = EvaluationViewForm(_data(request), view=view, stored=evaluation_view_state(view))
    if request.method != "POST" or not form.is_valid():
        return form, False
    _view, done = submit_once(
        request,
        form,
        lambda: services.evaluation_view_save(
            check_in=check_in, party=party, by=request.user, stored_state=form.opened_state, **form.answers()
        ),
    )
    return form, done


def jim_ask(request, pk):
    """ "Denk even mee": write to the fallback professional, and see what became of earlier questions."""
    triad = get_running_triad_for_jim(request.user, pk)
    form = FallbackRequestForm(_data(request))
    if request.method == "POST" and form.is_valid():
        _request, done = submit_once(
            request,
            form,
            lambda: services.fallback_request_send(
                triad=triad,
                by=request.user,
                message=form.cleaned_data["message"],
                urgent=form.cleaned_data["urgent"],
            ),
        )
        if done:
            messages.success(
                request,
                _("Thank you! %(name)s got your message and will get back to you.")
                % {"name": triad.fallback},
            )
            return redirect("triads:jim_ask", pk=triad.pk)
    return render(
        request,
        "triads/jim_ask.html",
        {"triad": triad, "form": form, "requests": list(requests_of(triad, request.user)[:REQUESTS_SHOWN])},
    )


def jim_log(request, pk):
    """The JIM's private log: a quick entry on top, what they wrote below. Never required."""
    triad = get_running_triad_for_jim(request.user, pk)
    form = JimLogForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _entry, done = submit_once(
            request,
            form,
            lambda: services.jim_log_add(
                triad=triad,
                by=request.user,
                happened_on=data["happened_on"],
                kind=data["kind"],
                text=data["text"],
            ),
        )
        if done:
            messages.success(request, _("Thank you! It is in your log."))
            return redirect("triads:jim_log", pk=triad.pk)
    page = Paginator(log_of(triad, request.user), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "triads/jim_log.html",
        {"triad": triad, "form": form, "page": page, "entries": page.object_list},
    )


def jim_log_share(request, pk, entry_pk):
    """Share one log entry with the professional, after the JIM confirms the youth is fine with it."""
    triad = get_running_triad_for_jim(request.user, pk)
    entry = get_object_or_404(log_of(triad, request.user), pk=entry_pk)
    form = LogShareForm(_data(request))
    if request.method == "POST" and entry.shared_at is None and form.is_valid():
        try:
            services.jim_log_share(entry=entry, by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Shared with the professional. Thank you!"))
            return redirect("triads:jim_log", pk=triad.pk)
    return render(request, "triads/jim_log_share.html", {"triad": triad, "entry": entry, "form": form})


def jim_welcome(request):
    """The JIM's guide: what a JIM is and is not, what stays between them and the youth, when to call the
    fallback professional, an emergency, the peer network; the JIM confirms reading it (the date is kept)."""
    profile = _profile_of(request.user)
    if request.method == "POST":
        mentor_services.jim_onboarding_confirm(jim_profile=profile, by=request.user)
        messages.success(request, _("Thank you! You can read this page again at any time."))
        return redirect("triads:mine")
    triads = list(triads_of_mentor(request.user).prefetch_related(current_leads_prefetch("youth__")))
    for triad in triads:
        # Whom to call: the fallback professional once the trial runs; before that, the lead, about the agreement.
        triad.contact = triad.fallback if triad.is_running else triad.lead
    return render(request, "triads/jim_welcome.html", {"profile": profile, "triads": triads})


def jim_peers(request):
    """The JIM peer network: join, and see the organisation's coming meetings (a head count, no names)."""
    profile = _peer_profile_of(request.user)
    meetings = list(upcoming_meetings_for(profile)) if profile.peer_network_opt_in else []
    triads = list(triads_of_mentor(request.user)[:2])
    return render(
        request,
        "triads/jim_peers.html",
        {
            "profile": profile,
            "meetings": meetings,
            "back": triads[0] if len(triads) == 1 else None,
        },
    )


@require_POST
def jim_peers_join(request):
    """Join (answer=yes) or leave (answer=no) the peer network."""
    profile = _peer_profile_of(request.user)
    form = YesNoForm(request.POST)
    if form.is_valid():
        mentor_services.peer_network_opt(jim_profile=profile, on=form.yes, by=request.user)
        if form.yes:
            messages.success(request, _("Welcome to the JIM network!"))
        else:
            messages.info(request, _("You are no longer in the JIM network. You can join again at any time."))
    return redirect("triads:jim_peers")


@require_POST
def jim_peer_attend(request, meeting_pk):
    """Say you will come to a meeting (answer=yes), or that you will not after all (answer=no)."""
    profile = _peer_profile_of(request.user)
    meeting = get_object_or_404(
        PeerMeeting.objects.upcoming(), pk=meeting_pk, organisation_id=profile.organisation_id
    )
    form = YesNoForm(request.POST)
    if form.is_valid():
        try:
            mentor_services.peer_meeting_attend(
                meeting=meeting, jim_profile=profile, by=request.user, coming=form.yes
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if form.yes:
                messages.success(request, _("Great, see you there!"))
            else:
                messages.info(request, _("Okay, you are no longer on the list for this meeting."))
    return redirect("triads:jim_peers")
