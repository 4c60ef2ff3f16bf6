from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jimcase.access import get_youth_for, require_professional
from jimcase.selectors import CHANGE_YOUTH
from jimcase.web import form_errors_from, submit_once
from mentors.models import Search

from . import services
from .access import get_triad_for_professional
from .forms import (
    AgreementForm,
    ConsentForm,
    JimInviteForm,
    SignForm,
    SigningLinkForm,
    SignInPersonForm,
    TriadCreateForm,
)
from .models import AGREEMENT_SECTIONS, Party, Triad, TriadStatusChange
from .rules import signing_method_for
from .selectors import in_person_signers, link_recipients, signatures_with_parent, triad_page_for


def _sections(agreement):
    return [(heading, getattr(agreement, name)) for name, heading in AGREEMENT_SECTIONS]


# --- Professional -------------------------------------------------------------------------------


def triad_create(request, youth_pk, search_pk):
    """Hand-over from the search: make the triad for the JIM the youth chose."""
    require_professional(request.user)
    youth = get_youth_for(request.user, youth_pk, CHANGE_YOUTH)
    search = get_object_or_404(
        Search.objects.select_related("jim_profile"), pk=search_pk, youth=youth, status=Search.Status.FOUND
    )
    existing = search.triads.first()
    if existing:
        return redirect("triads:detail", pk=existing.pk)
    form = TriadCreateForm(request.POST or None, youth=youth, initial={"fallback": request.user})
    if request.method == "POST" and form.is_valid():
        triad, done = submit_once(
            request,
            form,
            lambda: services.triad_create(
                search=search, by=request.user, fallback=form.cleaned_data["fallback"]
            ),
        )
        if done:
            triad = triad or search.triads.first()
            messages.success(request, _("The triad is made. Fill in the agreement together."))
            return redirect("triads:detail", pk=triad.pk)
    return render(request, "triads/triad_create.html", {"form": form, "youth": youth, "search": search})


def triad_detail(request, pk):
    triad = get_triad_for_professional(request.user, pk)
    page = triad_page_for(triad)
    return render(request, "triads/triad_detail.html", {"triad": triad, "youth": triad.youth, **page})


def agreement_edit(request, pk):
    """Edit the draft, or (when it has been signed) make a new version that must be signed again."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    agreement = triad.current_agreement
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        change, done = submit_once(
            request,
            form,
            lambda: services.agreement_change(
                triad=triad, by=request.user, edit_version=form.cleaned_data["edit_version"], **fields
            ),
        )
        if done:
            if change == services.AgreementChange.UNCHANGED:
                messages.info(request, _("Nothing changed: the signed version stays as it is."))
            elif change == services.AgreementChange.NEW_VERSION:
                messages.success(request, _("A new version is made. Everyone signs it again."))
            else:
                messages.success(request, _("Saved."))
            return redirect("triads:detail", pk=triad.pk)
    agreement.refresh_from_db()
    return render(
        request,
        "triads/agreement_form.html",
        {"form": form, "triad": triad, "youth": triad.youth, "agreement": agreement},
    )


def agreement_print(request, pk, version):
    triad = get_triad_for_professional(request.user, pk)
    agreement = get_object_or_404(
        triad.agreements.prefetch_related(signatures_with_parent()), version=version
    )
    return render(request, "triads/agreement_print.html", _agreement_context(triad, agreement))


def _agreement_context(triad, agreement):
    current_hash = agreement.text_hash()
    signatures = list(agreement.signatures.all())
    return {
        "triad": triad,
        "agreement": agreement,
        "sections": _sections(agreement),
        "signatures": signatures,
        "current_hash": current_hash,
        "unchanged": bool(signatures) and all(s.text_hash == current_hash for s in signatures),
    }


def sign_in_person(request, pk):
    """The professional hands over the screen; the signer types their name and ticks agreement."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    agreement = triad.current_agreement
    form = SignInPersonForm(request.POST or None, signers=in_person_signers(agreement))
    if request.method == "POST" and form.is_valid():
        party, parent = form.signers[form.cleaned_data["signer"]]
        try:
            services.agreement_sign(
                agreement=agreement,
                party=party,
                parent=parent,
                method=signing_method_for(party),
                typed_name=form.cleaned_data["typed_name"],
                user=request.user,
                witnessed=form.cleaned_data["witnessed"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Signed. Thank you!"))
            return redirect("triads:detail", pk=triad.pk)
    return render(
        request,
        "triads/sign_in_person.html",
        {"form": form, "triad": triad, "youth": triad.youth, **_agreement_context(triad, agreement)},
    )


def signing_link_send(request, pk):
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    agreement = triad.current_agreement
    recipients = link_recipients(triad, agreement)
    form = SigningLinkForm(request.POST or None, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        party, parent, _email = form.recipients[form.cleaned_data["recipient"]]
        _result, done = submit_once(
            request,
            form,
            lambda: services.signing_link_send(
                agreement=agreement,
                party=party,
                parent=parent,
                email=form.cleaned_data["email"],
                by=request.user,
            ),
        )
        if done:
            messages.success(
                request, _("The signing link was sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("triads:detail", pk=triad.pk)
    if not form.is_bound and recipients:
        form.initial["email"] = recipients[0][3]
    return render(
        request,
        "triads/link_form.html",
        {"form": form, "triad": triad, "youth": triad.youth, "recipients": recipients},
    )


def consent_record(request, pk):
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    form = ConsentForm(request.POST or None, youth=triad.youth)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _result, done = submit_once(
            request,
            form,
            lambda: services.consent_record(
                triad=triad,
                parent=data["parent"],
                decision=data["decision"],
                decided_on=data["decided_on"],
                method=data["method"],
                note=data["note"],
                by=request.user,
            ),
        )
        if done:
            messages.success(request, _("The decision is recorded."))
            return redirect("triads:detail", pk=triad.pk)
    return render(request, "triads/consent_form.html", {"form": form, "triad": triad, "youth": triad.youth})


def jim_invite(request, pk):
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    form = JimInviteForm(request.POST or None, initial={"email": triad.jim_profile.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.jim_invite(
                jim_profile=triad.jim_profile, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The JIM received an e-mail to choose a password."))
            return redirect("triads:detail", pk=triad.pk)
    return render(request, "triads/invite_form.html", {"form": form, "triad": triad, "youth": triad.youth})


@require_POST
def jim_password_link(request, pk):
    """Send the JIM (who has an account) a new link to choose a password."""
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    try:
        services.jim_password_link_send(jim_profile=triad.jim_profile, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The JIM received an e-mail to choose a password."))
    return redirect("triads:detail", pk=triad.pk)


@require_POST
def triad_start(request, pk):
    triad = get_triad_for_professional(request.user, pk, CHANGE_YOUTH)
    try:
        services.triad_transition(
            triad=triad,
            to=Triad.Status.TRIAL,
            by=request.user,
            why=TriadStatusChange.Why.STARTED_BY_PROFESSIONAL,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The trial period has started."))
    return redirect("triads:detail", pk=triad.pk)


# --- Signing link (no account) ------------------------------------------------------------------


def _own_link(user, link):
    """A logged-in user may use a signing link only when it is their own: the JIM's link, for that JIM."""
    return link.party == Party.JIM and link.agreement.triad.jim_profile.user_id == user.pk


@login_not_required
@never_cache
def sign_link(request, token):
    """Sign through a personal link. Shows only the agreement text, nothing else of the youth."""
    try:
        link = services.signing_link_resolve(token)
    except services.LinkError as error:
        return render(request, "triads/sign_link_invalid.html", {"message": error.message}, status=410)
    agreement = link.agreement
    if request.user.is_authenticated and not _own_link(request.user, link):
        # Someone else is logged in on this device: the link is for another person; nothing is signed.
        return render(
            request,
            "triads/sign_link_other.html",
            {"party": Party(link.party).label, "user": request.user},
        )
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signing_link_sign(token=token, typed_name=form.cleaned_data["typed_name"])
        except services.LinkError as error:
            return render(request, "triads/sign_link_invalid.html", {"message": error.message}, status=410)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return render(request, "triads/sign_link_done.html", {"agreement": agreement})
    return render(
        request,
        "triads/sign_link.html",
        {
            "form": form,
            "agreement": agreement,
            "sections": _sections(agreement),
            "party": Party(link.party).label,
        },
    )
