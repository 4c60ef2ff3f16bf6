"""Demo data for triads: three triads at different stages (demo only!).

- Lucas with JIM Wilma (hv.anna): trial period, agreement fully signed, both parents consented.
- Noor with JIM Lies (hv.anna): draft, signed by Noor only, her father refused consent. The wie-vraag
  demo leaves Noor without a search, so this seeder runs her search itself (through the mentors
  services) and Lies, her aunt, is chosen.
- Sanne with JIM Karel (hv.chris): draft, signed by Sanne and Chris, consent given; Karel still signs
  (log in as jim.karel to sign and see the trial start).

Follow-up (added on top; each part runs only once):

- Lucas's trial is moved back 40 days, as if it started then: the first check-in is done with an
  evaluation (its text a note shared with the JIM), the second is overdue (flagged on the file and the
  caseload), Wilma shared one entry of her private log and asks Anna to think along ("denk even mee"),
  and she answered the three questions before the evaluation at the end of the trial.
- Ines Desmet (BRUG-2025-014, hv.anna, 19) is a new demo youth, made through the same services as a real one,
  so the file shows a triad that has ended: her wie-vraag found Marc, her former football coach, a year ago;
  the trial was evaluated as "continue"; two months ago it ended with the goal reached, a plan for Ines
  and the contact going on informally. Marc has no account, and the ended triad grants him nothing.
  (None of the existing triads is ended for this: Noor's draft shows the consent refusal, Sanne's the
  JIM's signature, Lucas's the running follow-up.)
- A peer meeting of De Brug's JIM network in two weeks; Wilma has joined the network (she can sign up
  herself on her page).

Dates are moved back with plain updates: demo only, the services always stamp today.

Idempotent: a search that already has a triad is left as it is, so a second run changes nothing.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from jimcase.models import Note, Youth
from jimcase.services import youth_register
from mentors.models import (
    CriminalRecordCheck,
    FactorCheck,
    JimProfile,
    NetworkMember,
    PeerMeeting,
    Search,
    SuccessFactor,
)
from mentors.services import (
    candidate_add,
    candidate_status_set,
    jim_choose,
    member_save,
    peer_network_opt,
    record_check_save,
    screening_record,
    search_start,
)

from .models import (
    CheckIn,
    Closure,
    ConsentDecision,
    EndReason,
    Evaluation,
    GoalsReached,
    Party,
    PlacementOutcome,
    Signature,
    Triad,
    TriadStatusChange,
)
from .services import (
    agreement_sign,
    agreement_update,
    check_in_done,
    consent_record,
    evaluation_record,
    evaluation_view_save,
    fallback_request_send,
    jim_log_add,
    jim_log_share,
    triad_close,
    triad_create,
)

Decision = ConsentDecision.Decision
Method = Signature.Method

NOOR_JIM = "Lies Wouters"
TEXTS = {
    "lucas": {
        "meeting": (
            "Lucas en Wilma zien elkaar om de twee weken op woensdagnamiddag, meestal bij Wilma thuis of "
            "in de stad. Tussendoor sturen ze een berichtje wanneer Lucas dat wil."
        ),
    },
    "noor": {
        "meeting": "Noor en Lies spreken elke week af, na school, bij Lies of in het park.",
    },
    "sanne": {
        "meeting": "Sanne en Karel drinken elke zaterdagochtend koffie samen in de buurt.",
    },
}


def seed(context):
    """Create the demo triads on the searches the wie-vraag demo ended with a chosen JIM."""
    users, youths = context["users"], context["youths"]
    searches = context.get("searches", {})
    made = {}
    with translation.override(settings.LANGUAGE_CODE):
        lucas = _found_search(searches, youths["lucas"])
        if lucas:
            made["lucas"] = _seed_lucas(lucas, users)
        noor = _found_search(searches, youths["noor"]) or _search_for_noor(youths["noor"], users["hv.anna"])
        if noor:
            made["noor"] = _seed_noor(noor, users)
        sanne = _found_search(searches, youths["sanne"])
        if sanne:
            made["sanne"] = _seed_sanne(sanne, users)
        if "lucas" in made:
            _follow_up_lucas(made["lucas"], users)
        made["ines"] = _seed_ines(users)
        _seed_peer_meeting(users)
    return {"triads": made}


def _found_search(searches, youth):
    search = searches.get(youth.first_name.lower())
    if search is not None and search.status == Search.Status.FOUND and search.jim_profile_id:
        return search
    return (
        Search.objects.filter(youth=youth, status=Search.Status.FOUND, jim_profile__isnull=False)
        .order_by("-ended_on", "-pk")
        .first()
    )


def _link_account(search, user):
    # Demo only: the JIM logs in at once instead of following an invitation e-mail.
    profile = search.jim_profile
    if profile.user_id is None:
        profile.user = user
        profile.save(update_fields=["user"])


def _existing(search):
    return search.triads.first()


def _make(search, by, key):
    triad = triad_create(search=search, by=by)
    agreement_update(agreement=triad.current_agreement, by=by, **TEXTS[key])
    return triad


def _sign(triad, party, name, by, method=Method.IN_PERSON, parent=None):
    agreement_sign(
        agreement=triad.current_agreement, party=party, method=method, typed_name=name, user=by, parent=parent
    )


def _consent(triad, parent, decision, by, days_ago, note=""):
    consent_record(
        triad=triad,
        parent=parent,
        decision=decision,
        decided_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        method=ConsentDecision.Method.WRITING
        if decision == Decision.GIVEN
        else ConsentDecision.Method.ORALLY,
        note=note,
        by=by,
    )


def _seed_lucas(search, users):
    _link_account(search, users["jim.wilma"])
    triad = _existing(search)
    if triad:
        return triad
    anna, wilma = users["hv.anna"], users["jim.wilma"]
    triad = _make(search, anna, "lucas")
    _sign(triad, Party.YOUTH, "Lucas Mertens", anna)
    _sign(triad, Party.PROFESSIONAL, "Anna Peeters", anna, method=Method.LOGGED_IN)
    _sign(triad, Party.JIM, "Wilma Janssens", wilma, method=Method.LOGGED_IN)
    for parent in triad.youth.parents.filter(has_parental_authority=True).order_by("pk"):
        _consent(triad, parent, Decision.GIVEN, anna, days_ago=2, note="Getekend op het gezinsgesprek.")
    triad.refresh_from_db()
    return triad


def _seed_noor(search, users):
    triad = _existing(search)
    if triad:
        return triad
    anna = users["hv.anna"]
    triad = _make(search, anna, "noor")
    _sign(triad, Party.YOUTH, "Noor Wouters", anna)
    parents = {p.name: p for p in triad.youth.parents.filter(has_parental_authority=True)}
    if "Els Wouters" in parents:
        _consent(triad, parents["Els Wouters"], Decision.GIVEN, anna, days_ago=1)
    if "Tom Wouters" in parents:
        _consent(
            triad,
            parents["Tom Wouters"],
            Decision.REFUSED,
            anna,
            days_ago=1,
            note=(
                "Vader vindt dat de familie dit zelf kan oplossen en wil geen 'buitenstaander'. "
                "Bespreken in het volgende gezinsgesprek: waar komt die weigering vandaan?"
            ),
        )
    return triad


def _seed_sanne(search, users):
    _link_account(search, users["jim.karel"])
    triad = _existing(search)
    if triad:
        return triad
    chris = users["hv.chris"]
    triad = _make(search, chris, "sanne")
    _sign(triad, Party.YOUTH, "Sanne Smit", chris)
    _sign(triad, Party.PROFESSIONAL, "Chris de Vries", chris, method=Method.LOGGED_IN)
    for parent in triad.youth.parents.filter(has_parental_authority=True):
        _consent(triad, parent, Decision.GIVEN, chris, days_ago=3)
    return triad


def _search_for_noor(noor, anna):
    """Run Noor's wie-vraag to the end (her aunt Lies says yes and is chosen), if she has no search yet."""
    if Search.objects.filter(youth=noor).exists():
        return None
    member = noor.network.filter(name=NOOR_JIM).first()
    if member is None:
        return None
    today = timezone.localdate()
    start = today - datetime.timedelta(days=40)

    def at(days, hour=10):
        day = start + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    search = search_start(youth=noor, by=anna, started_on=start)
    candidate = candidate_add(search=search, member=member, by=anna, at=at(2))
    for days, status in ((6, "discussed"), (12, "asked"), (20, "yes")):
        candidate = candidate_status_set(candidate=candidate, to=status, by=anna, at=at(days))
    met = dict.fromkeys(SuccessFactor, (FactorCheck.Result.MET, ""))
    screening_record(candidate=candidate, results=met, by=anna, at=at(24))
    record_check_save(
        candidate=candidate,
        kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
        issued_on=start + datetime.timedelta(days=22),
        checked_on=start + datetime.timedelta(days=25),
        by=anna,
    )
    return jim_choose(search=search, candidate=candidate, by=anna, on=start + datetime.timedelta(days=33))


# --- Follow-up ----------------------------------------------------------------------------------

LUCAS_TRIAL_AGO = 40


def _ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _shift_triad(triad, days):
    """Move a triad's dates and plan `days` back, as if it all happened then (demo only)."""
    delta = datetime.timedelta(days=days)
    Triad.objects.filter(pk=triad.pk).update(
        trial_started_on=F("trial_started_on") - delta,
        trial_ends_on=F("trial_ends_on") - delta,
    )
    CheckIn.objects.filter(triad=triad).update(due_on=F("due_on") - delta)
    TriadStatusChange.objects.filter(triad=triad).exclude(from_status="").update(at=F("at") - delta)
    triad.refresh_from_db()


def _follow_up_lucas(triad, users):
    """Lucas's trial, 40 days in: one check-in done with an evaluation, one overdue, a question of Wilma's,
    and her answers before the trial evaluation."""
    anna, wilma = users["hv.anna"], users["jim.wilma"]
    if triad.status != Triad.Status.TRIAL or triad.evaluations.exists():
        return
    _shift_triad(triad, LUCAS_TRIAL_AGO)
    first = triad.check_ins.order_by("due_on").first()
    evaluation_record(
        triad=triad,
        by=anna,
        held_on=first.due_on,
        score=4,
        check_in=first,
        text=(
            "Eerste opvolging met Lucas en Wilma. Ze zagen elkaar drie keer, twee keer gingen ze samen "
            "zwemmen. Lucas vertelt meer over school dan thuis. Afspraak: Wilma gaat mee naar het "
            "oudercontact als Lucas dat wil."
        ),
        participants={"with_youth": True, "with_jim": True, "with_professional": True, "with_parents": False},
        share_with_jim_on=first.due_on,
    )
    met = jim_log_add(
        triad=triad, by=wilma, happened_on=_ago(9), kind="met", text="Samen gezwommen, Lucas was goedgezind."
    )
    jim_log_share(entry=met, by=wilma)
    jim_log_add(
        triad=triad,
        by=wilma,
        happened_on=_ago(3),
        kind="call",
        text="Lucas belde laat op de avond, ruzie thuis. Alleen voor mezelf.",
    )
    fallback_request_send(
        triad=triad,
        by=wilma,
        message=(
            "Lucas zegt dat hij niet meer naar de voetbaltraining wil en klapt dicht als ik vraag waarom. "
            "Kunnen we even bellen om mee te denken?"
        ),
    )
    # Wilma already answered the three questions before the evaluation at the end of the trial.
    evaluation_view_save(
        check_in=triad.check_ins.get(kind=CheckIn.Kind.TRIAL_EVALUATION),
        party=Party.JIM,
        by=wilma,
        score=4,
        goes_well="We zwemmen samen en Lucas vertelt me meer over school.",
        would_help="Weten wat ik mag doen als Lucas belt na ruzie thuis.",
    )


INES = {
    "case_number": "BRUG-2025-014",
    "first_name": "Ines",
    "last_name": "Desmet",
    "jim": "Marc Verstraete",
}


def _seed_ines(users):
    """A youth whose triad has ended: goal reached, a plan afterwards, the contact going on informally."""
    anna = users["hv.anna"]
    youth = Youth.objects.filter(organisation=anna.organisation, case_number=INES["case_number"]).first()
    if youth is not None:
        return youth.triads.first()
    today = timezone.localdate()
    youth = youth_register(
        by=anna,
        organisation=anna.organisation,
        team=anna.teams.first(),
        first_name=INES["first_name"],
        last_name=INES["last_name"],
        case_number=INES["case_number"],
        date_of_birth=datetime.date(today.year - 19, 2, 2),
        living_situation=Youth.LivingSituation.INDEPENDENT,
        placement_considered=Youth.PlacementConsidered.YES,
        help_question="Op eigen benen staan en haar studie volhouden.",
        school_work="Hogeschool, eerste jaar",
        referral_date=_ago(420),
    )
    coach = member_save(
        member=NetworkMember(
            youth=youth,
            name=INES["jim"],
            relation=NetworkMember.Relation.COACH,
            closeness=NetworkMember.Closeness.CLOSE,
            date_of_birth=datetime.date(today.year - 46, 6, 1),
            phone="+32 476 44 55 66",
        ),
        by=anna,
    )
    start = _ago(400)
    search = search_start(youth=youth, by=anna, started_on=start)

    def at(days):
        return timezone.make_aware(
            datetime.datetime.combine(start + datetime.timedelta(days=days), datetime.time(10))
        )

    candidate = candidate_add(search=search, member=coach, by=anna, at=at(1))
    for days, status in ((4, "discussed"), (9, "asked"), (15, "yes")):
        candidate = candidate_status_set(candidate=candidate, to=status, by=anna, at=at(days))
    screening_record(
        candidate=candidate,
        results=dict.fromkeys(SuccessFactor, (FactorCheck.Result.MET, "")),
        by=anna,
        at=at(18),
    )
    record_check_save(
        candidate=candidate,
        kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
        issued_on=start + datetime.timedelta(days=17),
        checked_on=start + datetime.timedelta(days=20),
        by=anna,
    )
    search = jim_choose(search=search, candidate=candidate, by=anna, on=start + datetime.timedelta(days=28))
    triad = triad_create(search=search, by=anna)
    agreement_update(
        agreement=triad.current_agreement,
        by=anna,
        meeting="Ines en Marc spreken om de twee weken af na de training, en bellen wanneer Ines dat wil.",
    )
    _sign(triad, Party.YOUTH, "Ines Desmet", anna)
    _sign(triad, Party.PROFESSIONAL, "Anna Peeters", anna, method=Method.LOGGED_IN)
    _sign(triad, Party.JIM, INES["jim"], anna)  # Ines is 18+: no parental consent, the trial starts
    triad.refresh_from_db()
    trial_evaluation = triad.check_ins.get(kind=CheckIn.Kind.TRIAL_EVALUATION)
    for check_in in triad.check_ins.exclude(pk=trial_evaluation.pk):
        check_in_done(check_in=check_in, on=today, by=anna)
    evaluation_record(
        triad=triad,
        by=anna,
        held_on=today,
        score=5,
        check_in=trial_evaluation,
        decision=Evaluation.Decision.CONTINUE,
        text="Ines en Marc zien elkaar graag; Ines durft weer hulp te vragen. We gaan verder.",
        early_reason="Ines en Marc kennen elkaar al jaren en de afspraken lopen goed: Ines wil niet wachten.",
    )
    triad_close(
        triad=triad,
        by=anna,
        reason=EndReason.GOAL_REACHED,
        exit_youth="Ines woont op kot in Gent en redt zich goed. Ze is trots op wat ze bereikte.",
        exit_jim="Marc blijft graag in de buurt; ze spreken af dat Ines hem belt als ze dat wil.",
        exit_professional="Afgesloten in goed overleg, met een gesprek met Ines en Marc samen.",
        continues_informally=True,
        living_situation=Youth.LivingSituation.INDEPENDENT,
        placement_outcome=PlacementOutcome.AVOIDED,
        goals_reached=GoalsReached.YES,
        after_plan=(
            "De begeleiding van Ines wordt afgebouwd: nog drie maandelijkse gesprekken met Anna, daarna "
            "afsluiting. Voor studie en geld kan Ines terecht bij de studentenvoorziening van haar hogeschool."
        ),
    )
    _backdate_ines(triad, start)
    return triad


def _backdate_ines(triad, start):
    """Spread Ines's triad over the past year (demo only; the services stamped today for all of it)."""
    today = timezone.localdate()
    trial_start = start + datetime.timedelta(days=35)
    activated = trial_start + datetime.timedelta(days=(triad.trial_ends_on - today).days)
    ended = _ago(60)
    Triad.objects.filter(pk=triad.pk).update(
        trial_started_on=trial_start, trial_ends_on=activated, activated_on=activated, ended_on=ended
    )
    Closure.objects.filter(triad=triad).update(ended_on=ended)
    # The trial plan (made first) counts from the trial's start, the monthly plan from its end.
    trial_evaluation = triad.check_ins.get(kind=CheckIn.Kind.TRIAL_EVALUATION)
    for check_in in CheckIn.objects.filter(triad=triad):
        base = trial_start if check_in.pk <= trial_evaluation.pk else activated
        due = base + (check_in.due_on - today)
        if due > ended:
            check_in.delete()
        else:
            CheckIn.objects.filter(pk=check_in.pk).update(due_on=due, done_on=due)
    evaluation = trial_evaluation.evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(held_on=activated)
    Note.objects.filter(evaluation=evaluation).update(written_on=activated)
    days = {"draft": triad.search.ended_on, "trial": trial_start, "active": activated, "ended": ended}
    for change in TriadStatusChange.objects.filter(triad=triad):
        when = timezone.make_aware(datetime.datetime.combine(days[change.to_status], datetime.time(11)))
        TriadStatusChange.objects.filter(pk=change.pk).update(at=when)
    Youth.objects.filter(pk=triad.youth_id).update(stage_since=ended)


PEER_TOPIC = "Grenzen stellen zonder de band te verliezen"


def _seed_peer_meeting(users):
    """A meeting of De Brug's JIM peer network in two weeks; Wilma takes part in the network."""
    wilma = users["jim.wilma"]
    profile = JimProfile.objects.filter(user=wilma).first()
    if profile is not None and not profile.peer_network_opt_in:
        peer_network_opt(jim_profile=profile, on=True, by=wilma)
    if not PeerMeeting.objects.filter(organisation=wilma.organisation, topic=PEER_TOPIC).exists():
        day = timezone.localdate() + datetime.timedelta(days=14)
        PeerMeeting.objects.create(
            organisation=wilma.organisation,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 30))),
            place="De Brug, zaal 2 (Kortrijksesteenweg 12, Gent)",
            topic=PEER_TOPIC,
        )
