"""Demo data for triads: three triads at different stages (demo only!).

- Lucas with JIM Wilma (hv.anna): trial period, agreement fully signed, both parents consented.
- Noor with JIM Lies (hv.anna): draft, signed by Noor only, her father refused consent. The wie-vraag
  demo leaves Noor without a search, so this seeder runs her search itself (through the mentors
  services) and Lies, her aunt, is chosen.
- Sanne with JIM Karel (hv.chris): draft, signed by Sanne and Chris, consent given; Karel still signs
  (log in as jim.karel to sign and see the trial start).

Follow-up (added on top; each part runs only once):

- Lucas's trial started 40 days ago: the first check-in is done with an evaluation (its text a note shared
  with the JIM), the second is overdue (flagged on the file and the caseload), Wilma shared one entry of her private log and asks Anna to think along ("denk even mee"),
  and she answered the three questions before the evaluation at the end of the trial.
- Ines Desmet (BRUG-2025-014, hv.anna, 19) is a new demo youth, made through the same services as a real one,
  so the file shows a triad that has ended: her wie-vraag found Marc, her former football coach, a year ago;
  the trial was evaluated as "continue"; two months ago it ended with the goal reached, a plan for Ines
  and the contact going on informally. Marc has no account, and the ended triad grants him nothing.
  (None of the existing triads is ended for this: Noor's draft shows the consent refusal, Sanne's the
  JIM's signature, Lucas's the running follow-up.)
- A peer meeting of De Brug's JIM network in two weeks; Wilma has joined the network (she can sign up
  herself on her page).

Every step goes through its service on the day it happened (`jimcase.demo_clock.on`): chosen, agreement
drafted, signed, consent, trial start, check-ins, evaluation, closure, each stamped with its own day.

Idempotent: a search that already has a triad is left as it is, so a second run changes nothing.
"""

import datetime

from django.conf import settings
from django.utils import timezone, translation

from jimcase.demo_clock import on, years_before
from jimcase.models import Youth
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
    ConsentDecision,
    EndReason,
    Evaluation,
    GoalsReached,
    Party,
    PlacementOutcome,
    Signature,
    Triad,
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


def _ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _make(search, by, key, days_ago):
    with on(_ago(days_ago), 10):
        triad = triad_create(search=search, by=by)
    with on(_ago(days_ago), 10, 30):
        agreement_update(agreement=triad.current_agreement, by=by, **TEXTS[key])
    return triad


def _sign(triad, party, name, by, days_ago, method=Method.IN_PERSON, parent=None, hour=14):
    with on(_ago(days_ago), hour, len(party)):
        agreement_sign(
            agreement=triad.current_agreement,
            party=party,
            method=method,
            typed_name=name,
            user=by,
            parent=parent,
        )


def _consent(triad, parent, decision, by, days_ago, note="", minute=0):
    """A parent's decision, recorded on the day it was taken (the last one in order starts the trial)."""
    with on(_ago(days_ago), 11, minute):
        consent_record(
            triad=triad,
            parent=parent,
            decision=decision,
            decided_on=_ago(days_ago),
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
    triad = _make(search, anna, "lucas", days_ago=LUCAS_TRIAL_AGO + 15)
    _sign(triad, Party.YOUTH, "Lucas Mertens", anna, days_ago=LUCAS_TRIAL_AGO + 10)
    _sign(triad, Party.PROFESSIONAL, "Anna Peeters", anna, LUCAS_TRIAL_AGO + 10, method=Method.LOGGED_IN)
    _sign(triad, Party.JIM, "Wilma Janssens", wilma, LUCAS_TRIAL_AGO + 5, method=Method.LOGGED_IN, hour=19)
    # The parents' consent on the family conversation, the last step: the trial starts that day.
    for index, parent in enumerate(triad.youth.parents.filter(has_parental_authority=True).order_by("pk")):
        _consent(
            triad,
            parent,
            Decision.GIVEN,
            anna,
            days_ago=LUCAS_TRIAL_AGO,
            minute=index * 5,
            note="Getekend op het gezinsgesprek.",
        )
    triad.refresh_from_db()
    return triad


def _seed_noor(search, users):
    triad = _existing(search)
    if triad:
        return triad
    anna = users["hv.anna"]
    triad = _make(search, anna, "noor", days_ago=6)
    _sign(triad, Party.YOUTH, "Noor Wouters", anna, days_ago=5)
    parents = {p.name: p for p in triad.youth.parents.filter(has_parental_authority=True)}
    if "Els Wouters" in parents:
        _consent(triad, parents["Els Wouters"], Decision.GIVEN, anna, days_ago=2)
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
    triad = _make(search, chris, "sanne", days_ago=18)
    _sign(triad, Party.YOUTH, "Sanne Smit", chris, days_ago=10)
    _sign(triad, Party.PROFESSIONAL, "Chris de Vries", chris, days_ago=10, method=Method.LOGGED_IN)
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
    start = _ago(40)

    def day(days):
        return start + datetime.timedelta(days=days)

    with on(start, 9):
        search = search_start(youth=noor, by=anna, started_on=start)
    with on(day(2)) as when:
        candidate = candidate_add(search=search, member=member, by=anna, at=when)
    for days, status in ((6, "discussed"), (12, "asked"), (20, "yes")):
        with on(day(days)) as when:
            candidate = candidate_status_set(candidate=candidate, to=status, by=anna, at=when)
    met = dict.fromkeys(SuccessFactor, (FactorCheck.Result.MET, ""))
    with on(day(24)) as when:
        screening_record(candidate=candidate, results=met, by=anna, at=when)
    with on(day(25)):
        record_check_save(
            candidate=candidate,
            kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
            issued_on=day(22),
            checked_on=day(25),
            by=anna,
        )
    with on(day(33), 16):
        return jim_choose(search=search, candidate=candidate, by=anna, on=day(33))


# --- Follow-up ----------------------------------------------------------------------------------

LUCAS_TRIAL_AGO = 40


def _follow_up_lucas(triad, users):
    """Lucas's trial, 40 days in: one check-in done with an evaluation, one overdue, a question of Wilma's,
    and her answers before the trial evaluation."""
    anna, wilma = users["hv.anna"], users["jim.wilma"]
    if triad.status != Triad.Status.TRIAL or triad.evaluations.exists():
        return
    first = triad.check_ins.order_by("due_on").first()
    with on(first.due_on, 15):
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
            participants={
                "with_youth": True,
                "with_jim": True,
                "with_professional": True,
                "with_parents": False,
            },
            share_with_jim_on=first.due_on,
        )
    with on(_ago(9), 20):
        met = jim_log_add(
            triad=triad,
            by=wilma,
            happened_on=_ago(9),
            kind="met",
            text="Samen gezwommen, Lucas was goedgezind.",
        )
        jim_log_share(entry=met, by=wilma)
    with on(_ago(3), 22):
        jim_log_add(
            triad=triad,
            by=wilma,
            happened_on=_ago(3),
            kind="call",
            text="Lucas belde laat op de avond, ruzie thuis. Alleen voor mezelf.",
        )
    # Wilma already answered the three questions before the evaluation at the end of the trial.
    with on(_ago(2), 20):
        evaluation_view_save(
            check_in=triad.check_ins.get(kind=CheckIn.Kind.TRIAL_EVALUATION),
            party=Party.JIM,
            by=wilma,
            score=4,
            goes_well="We zwemmen samen en Lucas vertelt me meer over school.",
            would_help="Weten wat ik mag doen als Lucas belt na ruzie thuis.",
        )
    with on(_ago(1), 18):
        fallback_request_send(
            triad=triad,
            by=wilma,
            message=(
                "Lucas zegt dat hij niet meer naar de voetbaltraining wil en klapt dicht als ik vraag waarom. "
                "Kunnen we even bellen om mee te denken?"
            ),
        )


INES = {
    "case_number": "BRUG-2025-014",
    "first_name": "Ines",
    "last_name": "Desmet",
    "jim": "Marc Verstraete",
}


#: Ines's year, in days before today: referred, search started, trial started, evaluated, ended.
INES_AGO = {"referred": 420, "search": 400, "trial": 365, "evaluated": 290, "ended": 60}


def _seed_ines(users):
    """A youth whose triad has ended: goal reached, a plan afterwards, the contact going on informally.

    Her year runs through the services day by day: referred at 18, the wie-vraag, the trial (she is an
    adult: no parental consent), its check-ins, the evaluation to go on, the active months and the closure.
    """
    anna = users["hv.anna"]
    youth = Youth.objects.filter(organisation=anna.organisation, case_number=INES["case_number"]).first()
    if youth is not None:
        return youth.triads.first()
    referred = _ago(INES_AGO["referred"])
    with on(referred, 9):
        youth = youth_register(
            by=anna,
            organisation=anna.organisation,
            team=anna.teams.first(),
            first_name=INES["first_name"],
            last_name=INES["last_name"],
            case_number=INES["case_number"],
            # 18 at her referral (two months after her birthday), 19 now.
            date_of_birth=years_before(referred - datetime.timedelta(days=60), 18),
            living_situation=Youth.LivingSituation.INDEPENDENT,
            placement_considered=Youth.PlacementConsidered.YES,
            help_question="Op eigen benen staan en haar studie volhouden.",
            school_work="Hogeschool, eerste jaar",
            referral_date=referred,
        )
    with on(referred + datetime.timedelta(days=10)):
        coach = member_save(
            member=NetworkMember(
                youth=youth,
                name=INES["jim"],
                relation=NetworkMember.Relation.COACH,
                closeness=NetworkMember.Closeness.CLOSE,
                date_of_birth=years_before(referred, 45),
                phone="+32 476 44 55 66",
            ),
            by=anna,
        )
    start = _ago(INES_AGO["search"])

    def day(days):
        return start + datetime.timedelta(days=days)

    with on(start, 9):
        search = search_start(youth=youth, by=anna, started_on=start)
    with on(day(1)) as when:
        candidate = candidate_add(search=search, member=coach, by=anna, at=when)
    for days, status in ((4, "discussed"), (9, "asked"), (15, "yes")):
        with on(day(days)) as when:
            candidate = candidate_status_set(candidate=candidate, to=status, by=anna, at=when)
    with on(day(18)) as when:
        screening_record(
            candidate=candidate,
            results=dict.fromkeys(SuccessFactor, (FactorCheck.Result.MET, "")),
            by=anna,
            at=when,
        )
    with on(day(20)):
        record_check_save(
            candidate=candidate,
            kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
            issued_on=day(17),
            checked_on=day(20),
            by=anna,
        )
    with on(day(28), 16):
        search = jim_choose(search=search, candidate=candidate, by=anna, on=day(28))
    trial_ago = INES_AGO["trial"]
    with on(day(29)):
        triad = triad_create(search=search, by=anna)
        agreement_update(
            agreement=triad.current_agreement,
            by=anna,
            meeting="Ines en Marc spreken om de twee weken af na de training, en bellen wanneer Ines dat wil.",
        )
    _sign(triad, Party.YOUTH, "Ines Desmet", anna, days_ago=trial_ago + 1)
    _sign(triad, Party.PROFESSIONAL, "Anna Peeters", anna, days_ago=trial_ago + 1, method=Method.LOGGED_IN)
    # Ines is 18+: no parental consent, the trial starts with Marc's signature.
    _sign(triad, Party.JIM, INES["jim"], anna, days_ago=trial_ago)
    evaluated, ended = _ago(INES_AGO["evaluated"]), _ago(INES_AGO["ended"])
    _check_ins_done(triad, anna, before=evaluated)
    trial_evaluation = triad.check_ins.get(kind=CheckIn.Kind.TRIAL_EVALUATION)
    with on(evaluated, 15):
        evaluation_record(
            triad=triad,
            by=anna,
            held_on=evaluated,
            score=5,
            check_in=trial_evaluation,
            decision=Evaluation.Decision.CONTINUE,
            text="Ines en Marc zien elkaar graag; Ines durft weer hulp te vragen. We gaan verder.",
            early_reason="Ines en Marc kennen elkaar al jaren en de afspraken lopen goed: Ines wil niet wachten.",
        )
    _check_ins_done(triad, anna, before=ended)
    with on(ended, 16):
        triad_close(
            triad=triad,
            by=anna,
            reason=EndReason.GOAL_REACHED,
            ended_on=ended,
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
    # The lead's conversation with Ines some weeks after the end: it took place.
    after = triad.check_ins.get(kind=CheckIn.Kind.AFTER_CLOSURE)
    with on(after.due_on, 11):
        check_in_done(check_in=after, on=after.due_on, by=anna)
    triad.refresh_from_db()
    return triad


def _check_ins_done(triad, by, before):
    """The planned check-ins before `before`, each marked done on its day (the evaluation moments
    included: the trial's own evaluation is recorded with its decision)."""
    for check_in in (
        triad.check_ins.open().filter(due_on__lt=before).exclude(kind=CheckIn.Kind.TRIAL_EVALUATION)
    ):
        with on(check_in.due_on, 16):
            check_in_done(check_in=check_in, on=check_in.due_on, by=by)


PEER_TOPIC = "Grenzen stellen zonder de band te verliezen"


def _seed_peer_meeting(users):
    """A meeting of De Brug's JIM peer network in two weeks; Wilma takes part in the network."""
    wilma = users["jim.wilma"]
    profile = JimProfile.objects.filter(user=wilma).first()
    if profile is not None and not profile.peer_network_opt_in:
        with on(_ago(20), 20):
            peer_network_opt(jim_profile=profile, on=True, by=wilma)
    if not PeerMeeting.objects.filter(organisation=wilma.organisation, topic=PEER_TOPIC).exists():
        day = timezone.localdate() + datetime.timedelta(days=14)
        PeerMeeting.objects.create(
            organisation=wilma.organisation,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 30))),
            place="De Brug, zaal 2 (Kortrijksesteenweg 12, Gent)",
            topic=PEER_TOPIC,
        )
