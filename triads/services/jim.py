"""The JIM's own side: an account to log in with, the private log, and "Denk even mee" requests."""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from accounts.models import AccountChange
from jimcase.models import Role, User
from jimcase.rules import plain_text
from jimcase.services import clean_save, user_role_set
from jimcase.validators import not_in_future
from mentors.models import Search
from outbox import mails
from outbox.text import absolute_url

from ..models import FallbackRequest, JimLogEntry, Triad
from ..rules import VIEW_TRIAD
from ..selectors import jim_has_live_triad

# --- Accounts -----------------------------------------------------------------------------------


def _free_username(base):
    base = slugify(base).replace("-", ".")[:140] or "jim"
    candidate, n = f"jim.{base}", 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"jim.{base}{n}"
    return candidate


def _jim_account_to_link(email, jim_profile):
    """The JIM account of the same organisation with this e-mail address (the same person, already a JIM of
    another youth), None when there is no account with it; refused when the address belongs to anyone else."""
    existing = User.objects.filter(email__iexact=email).select_related("jim_profile").first()
    if existing is None:
        return None
    profile = getattr(existing, "jim_profile", None)
    if (
        profile is None
        or not existing.is_active
        or not existing.is_jim
        or profile.organisation_id != jim_profile.organisation_id
    ):
        raise ValidationError(
            {
                "email": _(
                    "An account with this e-mail address already exists, and it is not the account of a JIM of "
                    "your organisation. Use another address."
                )
            }
        )
    return existing


def _merge_into(profile, duplicate):
    """One profile per person: `duplicate`'s searches, triads and peer meetings move to `profile`, and the
    duplicate goes. Refused when the same youth would get two live triads with one JIM."""
    triads = Triad.objects.select_for_update(of=("self",)).filter(jim_profile=duplicate)
    if (
        Triad.objects.live()
        .filter(jim_profile=profile, youth_id__in=triads.live().values("youth_id"))
        .exists()
    ):
        raise ValidationError(_("This JIM already has a running triad with this youth."))
    moved = list(triads.select_related("youth"))
    triads.update(jim_profile=profile)
    for triad in moved:
        triad.jim_profile = profile
    Search.objects.filter(jim_profile=duplicate).update(jim_profile=profile)
    profile.peer_meetings.add(*duplicate.peer_meetings.all())
    if duplicate.peer_network_opt_in and not profile.peer_network_opt_in:
        profile.peer_network_opt_in = True
        profile.save(update_fields=["peer_network_opt_in"])
    duplicate.delete()
    return moved


@transaction.atomic
def jim_invite(*, jim_profile, email, by):
    """Create the JIM's account (role jim), link it to the profile, grant their triads, e-mail a set-password link.

    When the address already belongs to a JIM of the organisation, this is the same person: the profile is
    joined to theirs, their account gets this youth's triad, and an e-mail tells them so.
    """
    if jim_profile.user_id:
        raise ValidationError(_("This JIM already has an account."))
    _require_live_triad(jim_profile)
    account = _jim_account_to_link(email, jim_profile)
    if account is not None:
        for triad in _merge_into(account.jim_profile, jim_profile):
            if not triad.has_ended:
                assign_perm(VIEW_TRIAD, account, triad)
                jim_new_triad_mail(triad=triad, user=account, by=by)
        return account
    user = User(
        username=_free_username(jim_profile.name),
        email=email,
        display_name=jim_profile.name,
        phone=jim_profile.phone,
        organisation=jim_profile.organisation,
    )
    user.set_unusable_password()
    clean_save(user)
    # The address the account was invited with, on the person's admin page like every change of it.
    AccountChange.objects.create(user=user, what=AccountChange.What.EMAIL, before="", after=email, by=by)
    user_role_set(user=user, role=Role.JIM)
    jim_profile.user = user
    jim_profile.email = email
    jim_profile.save(update_fields=["user", "email"])
    for triad in jim_profile.triads.live():
        assign_perm(VIEW_TRIAD, user, triad)
    _password_link_send(jim_profile=jim_profile, user=user, by=by, welcome=True)
    return user


def _require_live_triad(jim_profile):
    """After closure an ex-JIM has nothing left to log in for: no account and no new link."""
    if not jim_has_live_triad(jim_profile):
        raise ValidationError(
            _("This JIM has no triad that runs or is being prepared any more: no new password link is sent.")
        )


def jim_new_triad_mail(*, triad, user, by):
    """Tell a JIM who already has an account that a new youth's triad was added to it."""
    mails.send(
        "jim_new_triad",
        to=user.email,
        about=triad.jim_profile,
        jim=triad.jim_profile,
        user=user,
        by=by,
        youth=triad.youth,
        url=absolute_url("triads:mine"),
    )


def _password_link_send(*, jim_profile, user, by, welcome):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = absolute_url("password_reset_confirm", uidb64=uid, token=default_token_generator.make_token(user))
    context = {"jim": jim_profile, "user": user, "by": by, "url": url}
    if welcome:
        mails.send(
            "jim_welcome",
            to=user.email,
            about=jim_profile,
            guide_url=absolute_url("triads:jim_welcome"),
            **context,
        )
    else:
        mails.send("jim_password_link", to=user.email, about=jim_profile, **context)
    AccountChange.objects.create(
        user=user, what=AccountChange.What.PASSWORD_LINK, before="", after=user.email, by=by
    )


@transaction.atomic
def jim_password_link_send(*, jim_profile, by):
    """E-mail a JIM who has an account a fresh link to choose a password (lost it, never chose one)."""
    if jim_profile.user_id is None:
        raise ValidationError(_("This JIM has no account yet: invite them first."))
    if not jim_profile.user.email:
        raise ValidationError(_("This JIM's account has no e-mail address."))
    _require_live_triad(jim_profile)
    _password_link_send(jim_profile=jim_profile, user=jim_profile.user, by=by, welcome=False)


# --- "Denk even mee" and the private log ---------------------------------------------------------


def _require_jim_of(triad, user):
    if triad.jim_profile.user_id != user.pk or triad.has_ended:
        raise ValidationError(_("Only the JIM of this triad can do this."))
    # Until the trial starts a JIM reads and signs the agreement; the fallback and the log come with the trial.
    if not triad.is_running:
        raise ValidationError(_("This can be done once the trial period has started."))


@transaction.atomic
def fallback_request_send(*, triad, by, message, urgent=False):
    """ "Denk even mee": the JIM asks the fallback professional to think along; they get an e-mail."""
    _require_jim_of(triad, by)
    request = clean_save(FallbackRequest(triad=triad, message=message.strip(), urgent=urgent, created_by=by))
    mails.send(
        "fallback_request",
        # Without an address for the fallback professional, the lead hears of it: a JIM's question never gets lost.
        to=triad.fallback.email or triad.lead.email,
        about=triad,
        jim=triad.jim_profile,
        youth=triad.youth,
        urgent=urgent,
        url=absolute_url("triads:detail", triad.pk),
    )
    return request


@transaction.atomic
def fallback_request_handle(*, request, by, answer):
    """The professional marks a fallback request as handled, with what was agreed (a short answer)."""
    request = FallbackRequest.objects.select_for_update().get(pk=request.pk)
    if request.is_handled:
        raise ValidationError(_("This request was already handled."))
    try:
        plain_text(answer)
    except ValidationError as error:
        raise ValidationError({"answer": error.messages}) from None
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write in a few words what you agreed.")})
    request.status = FallbackRequest.Status.HANDLED
    request.handled_by = by
    request.handled_at = timezone.now()
    request.answer = answer
    return clean_save(request)


@transaction.atomic
def jim_log_add(*, triad, by, happened_on, kind, text=""):
    """Add an entry to the JIM's private log (never required, always light)."""
    _require_jim_of(triad, by)
    not_in_future("happened_on", happened_on)
    return clean_save(
        JimLogEntry(triad=triad, author=by, happened_on=happened_on, kind=kind, text=text.strip())
    )


@transaction.atomic
def jim_log_share(*, entry, by):
    """Share one private log entry with the professional (the JIM confirms the youth agrees)."""
    if entry.author_id != by.pk:
        raise ValidationError(_("Only the JIM who wrote this can share it."))
    _require_jim_of(entry.triad, by)
    if entry.shared_at is None:
        entry.shared_at = timezone.now()
        entry.save(update_fields=["shared_at"])
    return entry
