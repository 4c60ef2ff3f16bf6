"""Demo data for triads: three triads at different stages (demo only!).

- Lucas with JIM Wilma (hv.anna): trial period, agreement fully signed, both parents consented.
- Noor with JIM Lies (hv.anna): draft, signed by Noor only, her father refused consent. The wie-vraag
  demo leaves Noor without a search, so this seeder runs her search itself (through the mentors
  services) and Lies, her aunt, is chosen.
- Sanne with JIM Karel (hv.chris): draft, signed by Sanne and Chris, consent given; Karel still signs
  (log in as jim.karel to sign and see the trial start).

Idempotent: a search that already has a triad is left as it is, so a second run changes nothing.
"""

import datetime

from django.conf import settings
from django.utils import timezone, translation

from mentors.models import CriminalRecordCheck, FactorCheck, Search, SuccessFactor
from mentors.services import (
    candidate_add,
    candidate_status_set,
    jim_choose,
    record_check_save,
    screening_record,
    search_start,
)

from .models import ConsentDecision, Party, Signature
from .services import agreement_sign, agreement_update, consent_record, triad_create

D = ConsentDecision.Decision
M = Signature.Method

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
    return {"triads": made}


def _found_search(searches, youth):
    search = searches.get(youth.first_name.lower())
    if search is not None and search.status == Search.Status.FOUND and search.jim_id:
        return search
    return (
        Search.objects.filter(youth=youth, status=Search.Status.FOUND, jim__isnull=False)
        .order_by("-ended_on", "-pk")
        .first()
    )


def _link_account(search, user):
    # Demo only: the JIM logs in at once instead of following an invitation e-mail.
    profile = search.jim
    if profile.user_id is None:
        profile.user = user
        profile.save(update_fields=["user"])


def _existing(search):
    return search.triads.first()


def _make(search, by, key):
    triad = triad_create(search=search, by=by)
    agreement_update(agreement=triad.current_agreement, by=by, **TEXTS[key])
    return triad


def _sign(triad, party, name, by, method=M.IN_PERSON, parent=None):
    agreement_sign(
        agreement=triad.current_agreement, party=party, method=method, typed_name=name, user=by, parent=parent
    )


def _consent(triad, parent, decision, by, days_ago, note=""):
    consent_record(
        triad=triad,
        parent=parent,
        decision=decision,
        decided_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        method=ConsentDecision.Method.WRITING if decision == D.GIVEN else ConsentDecision.Method.ORALLY,
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
    _sign(triad, Party.PROFESSIONAL, "Anna Peeters", anna, method=M.LOGGED_IN)
    _sign(triad, Party.JIM, "Wilma Janssens", wilma, method=M.LOGGED_IN)
    for parent in triad.youth.parents.filter(has_parental_authority=True).order_by("pk"):
        _consent(triad, parent, D.GIVEN, anna, days_ago=2, note="Getekend op het gezinsgesprek.")
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
        _consent(triad, parents["Els Wouters"], D.GIVEN, anna, days_ago=1)
    if "Tom Wouters" in parents:
        _consent(
            triad,
            parents["Tom Wouters"],
            D.REFUSED,
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
    _sign(triad, Party.PROFESSIONAL, "Chris de Vries", chris, method=M.LOGGED_IN)
    for parent in triad.youth.parents.filter(has_parental_authority=True):
        _consent(triad, parent, D.GIVEN, chris, days_ago=3)
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
