"""Demo data for the wie-vraag: networks, searches at several stages, screening and two JIMs (demo only!).

Idempotent: a youth whose network already exists is left as it is, so a second run changes nothing.
"""

import datetime

from django.utils import timezone

from jimcase.demo_clock import moment, on
from jimcase.models import CaseAssignment

from .models import CriminalRecordCheck, FactorCheck, NetworkMember, Search, SuccessFactor, Topic
from .services import (
    candidate_add,
    candidate_status_set,
    jim_choose,
    member_save,
    record_check_save,
    screening_record,
    search_start,
)

Rel = NetworkMember.Relation
Close = NetworkMember.Closeness
St = Search.Status
Factor = SuccessFactor
MET, NOT_MET, UNKNOWN = FactorCheck.Result.MET, FactorCheck.Result.NOT_MET, FactorCheck.Result.UNKNOWN

#: Who for what in the demo: a few people's topics (defaults from DEFAULT_TOPICS).
DEMO_TOPICS = {
    "Maria Wouters": ["home", "feelings"],
    "Lies Wouters": ["school", "money"],
    "Jonas Peeters": ["free time", "friends"],
    "Karin De Smet": ["school"],
    "Jef Verhaegen": ["free time", "health"],
    "Hilde Jacobs": ["home"],
}

# (name, relation, closeness, age or None, facts)
NETWORKS = {
    "noor": [
        ("Maria Wouters", Rel.GRANDPARENT, Close.CLOSE, 67, {}),
        ("Lies Wouters", Rel.AUNT_UNCLE, Close.CLOSE, 41, {"phone": "+32 470 11 22 01"}),
        ("Tom Wouters", Rel.PARENT, Close.CLOSE, 44, {"is_biological_parent": True, "same_roof": True}),
        ("Jonas Peeters", Rel.COACH, Close.MIDDLE, 34, {"email": "jonas.peeters@example.be"}),
        ("Karin De Smet", Rel.TEACHER, Close.MIDDLE, None, {"is_adult": True}),
        ("Emma Goossens", Rel.OLDER_FRIEND, Close.FURTHER, 19, {}),
    ],
    "milan": [
        ("Sofie Jacobs", Rel.PARENT, Close.CLOSE, 42, {"is_biological_parent": True}),
        ("Hilde Jacobs", Rel.AUNT_UNCLE, Close.CLOSE, 45, {"phone": "+32 478 55 10 20"}),
        ("Jef Verhaegen", Rel.COACH, Close.CLOSE, 38, {"phone": "+32 472 10 20 30"}),
        ("Rik Claes", Rel.OLDER_FRIEND, Close.MIDDLE, 24, {}),
        ("Stijn Jacobs", Rel.SIBLING, Close.MIDDLE, 20, {}),
        ("Mohamed Benali", Rel.NEIGHBOUR, Close.MIDDLE, 52, {}),
        ("Ine Van den Broeck", Rel.EX_PROFESSIONAL, Close.FURTHER, 36, {"paid_involvement": True}),
        ("Bart Jacobs", Rel.GRANDPARENT, Close.FURTHER, 70, {}),
    ],
    "yasmine": [
        ("Greet Van Damme", Rel.OTHER, Close.CLOSE, 55, {"same_roof": True}),
        ("Samira El Amrani", Rel.AUNT_UNCLE, Close.CLOSE, 39, {"phone": "+32 486 12 34 56"}),
        ("Youssef El Amrani", Rel.SIBLING, Close.MIDDLE, 22, {}),
        ("Nadia Bouzid", Rel.FAMILY_FRIEND, Close.MIDDLE, 44, {"email": "nadia.bouzid@example.be"}),
        ("Leen Verbeke", Rel.TEACHER, Close.MIDDLE, None, {"is_adult": True}),
        ("Fatima El Amrani", Rel.PARENT, Close.FURTHER, 41, {"is_biological_parent": True}),
        ("Kevin Desmet", Rel.OLDER_FRIEND, Close.FURTHER, 19, {}),
    ],
    "lucas": [
        (
            "Wilma Janssens",
            Rel.FAMILY_FRIEND,
            Close.CLOSE,
            52,
            {
                "paid_involvement": True,
                "phone": "+32 470 12 34 04",
                "email": "jim-wilma@demo.jim.invalid",
            },
        ),
        ("Ann Mertens", Rel.PARENT, Close.CLOSE, 46, {"is_biological_parent": True, "same_roof": True}),
        ("Koen Mertens", Rel.PARENT, Close.CLOSE, 48, {"is_biological_parent": True, "same_roof": True}),
        ("Ruben Mertens", Rel.SIBLING, Close.MIDDLE, 12, {"same_roof": True}),
        ("Jan Janssens", Rel.NEIGHBOUR, Close.MIDDLE, 58, {}),
        ("Frieda Mertens", Rel.GRANDPARENT, Close.MIDDLE, 74, {}),
        ("Dirk Wuyts", Rel.COACH, Close.MIDDLE, 45, {"phone": "+32 475 98 76 54"}),
        ("Sarah Claeys", Rel.TEACHER, Close.FURTHER, None, {"is_adult": True}),
        ("Pieter Van Hove", Rel.AUNT_UNCLE, Close.FURTHER, 47, {}),
    ],
    "daan": [
        ("Marieke de Boer", Rel.PARENT, Close.CLOSE, 43, {"is_biological_parent": True, "same_roof": True}),
        ("Henk de Boer", Rel.GRANDPARENT, Close.CLOSE, 68, {"phone": "+31 6 2345 6701"}),
        ("Joost Vermeer", Rel.COACH, Close.MIDDLE, 31, {}),
        ("Anouk Visser", Rel.AUNT_UNCLE, Close.MIDDLE, 40, {}),
        ("Lars Dekker", Rel.OLDER_FRIEND, Close.FURTHER, 21, {}),
        ("Fatma Yilmaz", Rel.NEIGHBOUR, Close.FURTHER, 49, {}),
    ],
    "sanne": [
        (
            "Karel Bakker",
            Rel.NEIGHBOUR,
            Close.CLOSE,
            61,
            {"phone": "+31 6 1234 5605", "email": "jim-karel@demo.jim.invalid"},
        ),
        ("Ingrid Smit", Rel.GRANDPARENT, Close.CLOSE, 72, {}),
        ("Peter Smit", Rel.PARENT, Close.MIDDLE, 49, {"is_biological_parent": True}),
        ("Mila de Jong", Rel.OLDER_FRIEND, Close.MIDDLE, 20, {}),
        ("Eva Smit", Rel.SIBLING, Close.FURTHER, 19, {}),
        ("Ruud Mulder", Rel.TEACHER, Close.FURTHER, None, {"is_adult": True}),
    ],
}

ALL_MET = dict.fromkeys(Factor, (MET, ""))

PAID_JUSTIFICATION = (
    "Wilma was tot zes jaar geleden begeleider in de buitenschoolse opvang waar Lucas naartoe ging. "
    "Die betaalde rol is al lang voorbij; Lucas kent haar nu als vriendin van de familie en kiest haar "
    "daarom zelf. Besproken in het teamoverleg: geen bezwaar."
)

# key: (professional, started days ago, found days ago or None, chosen name, JIM account,
#       [(member name, [(status, reason)], screening or None, record check (kind, issued days ago) or None)])
SEARCHES = {
    "milan": (
        "hv.anna",
        20,
        None,
        None,
        None,
        [
            (
                "Jef Verhaegen",
                [("discussed", ""), ("asked", ""), ("thinking", "")],
                {**ALL_MET, Factor.WILLING_TO_COOPERATE: (UNKNOWN, ""), Factor.PARENTS_AGREE: (UNKNOWN, "")},
                None,
            ),
            (
                "Hilde Jacobs",
                [("discussed", ""), ("asked", "")],
                {**ALL_MET, Factor.PARENTS_AGREE: (UNKNOWN, "")},
                None,
            ),
            ("Rik Claes", [("discussed", "")], None, None),
        ],
    ),
    "yasmine": (
        "hv.anna",
        100,
        None,
        None,
        None,
        [
            (
                "Samira El Amrani",
                [
                    ("discussed", ""),
                    ("asked", ""),
                    (
                        "no",
                        "Samira werkt in ploegen en heeft naar eigen zeggen te weinig tijd om er echt "
                        "voor Yasmine te zijn. Ze blijft wel graag in de buurt.",
                    ),
                ],
                None,
                None,
            ),
            (
                "Nadia Bouzid",
                [("discussed", ""), ("asked", ""), ("thinking", "")],
                {**ALL_MET, Factor.PARENTS_AGREE: (UNKNOWN, "")},
                None,
            ),
        ],
    ),
    "lucas": (
        "hv.anna",
        90,
        57,
        "Wilma Janssens",
        "jim.wilma",
        [
            (
                "Wilma Janssens",
                [("discussed", ""), ("asked", ""), ("thinking", ""), ("yes", "")],
                {**ALL_MET, Factor.NO_PAID_INVOLVEMENT: (NOT_MET, PAID_JUSTIFICATION)},
                (CriminalRecordCheck.Kind.FLEMISH_MODEL_2, 75),
            ),
            (
                "Dirk Wuyts",
                [
                    ("discussed", ""),
                    ("asked", ""),
                    ("no", "Dirk traint drie ploegen en vindt dat hij niet genoeg tijd heeft voor Lucas."),
                ],
                None,
                None,
            ),
            (
                "Frieda Mertens",
                [
                    (
                        "not_suitable",
                        "Frieda woont sinds kort in een woonzorgcentrum en kan Lucas weinig zien; "
                        "samen met Lucas besloten.",
                    )
                ],
                None,
                None,
            ),
        ],
    ),
    "daan": (
        "hv.chris",
        10,
        None,
        None,
        None,
        [
            ("Henk de Boer", [("discussed", "")], None, None),
            ("Joost Vermeer", [], None, None),
        ],
    ),
    "sanne": (
        "hv.chris",
        50,
        20,
        "Karel Bakker",
        "jim.karel",
        [
            (
                "Karel Bakker",
                [("discussed", ""), ("asked", ""), ("yes", "")],
                ALL_MET,
                (CriminalRecordCheck.Kind.VOG, 40),
            ),
            (
                "Mila de Jong",
                [
                    ("discussed", ""),
                    ("asked", ""),
                    ("no", "Mila studeert in Groningen en ziet Sanne nog maar zelden."),
                ],
                None,
                None,
            ),
        ],
    ),
}


#: Days before today the networks were drawn (after the referral, before the first search).
NETWORK_AGO = 118


def _birth(today, age):
    # 1 January: the person is exactly `age` all year long.
    return datetime.date(today.year - age, 1, 1)


def seed(context):
    """Create the wie-vraag demo data; return the searches and JIM profiles for later seeders."""
    today = timezone.localdate()
    users, youths = context["users"], context["youths"]
    searches, jim_profiles = {}, {}
    for key, people in NETWORKS.items():
        youth = youths[key]
        if NetworkMember.objects.filter(youth=youth).exists():
            continue  # seeded before: leave this youth's network and search as they are
        professional = youth.assignments.get(role=CaseAssignment.Role.LEAD, ends_on__isnull=True).professional
        for index, (name, relation, closeness, age, facts) in enumerate(people):
            with on(today - datetime.timedelta(days=NETWORK_AGO), 10, index):
                member_save(
                    member=NetworkMember(
                        youth=youth,
                        name=name,
                        relation=relation,
                        closeness=closeness,
                        date_of_birth=_birth(today, age) if age else None,
                        **facts,
                    ),
                    by=professional,
                    topics=[
                        Topic.objects.get_or_create(organisation=None, name=topic)[0]
                        for topic in DEMO_TOPICS.get(name, [])
                    ],
                )
        if key in SEARCHES:
            _seed_search(youth, users, today, *SEARCHES[key])
    for key in SEARCHES:
        youth = youths[key]
        search = Search.objects.filter(youth=youth).select_related("jim_profile").first()
        searches[key] = search
        account = SEARCHES[key][4]
        if search and search.jim_profile and account:
            # Demo only: the account invitation comes in a later issue; here the demo JIM logs in at once.
            if search.jim_profile.user_id != users[account].pk:
                search.jim_profile.user = users[account]
                search.jim_profile.save(update_fields=["user"])
            jim_profiles[key] = search.jim_profile
    return {"searches": searches, "jim_profiles": jim_profiles}


def _seed_search(youth, users, today, username, started_ago, found_ago, chosen_name, _account, candidates):
    """The search, each step through its service on the day it happened (`jimcase.demo_clock.on`)."""
    by = users[username]
    started_on = today - datetime.timedelta(days=started_ago)
    with on(started_on, 9):
        search = search_start(youth=youth, by=by, started_on=started_on)
    last_day = today - datetime.timedelta(days=found_ago or 0)
    members = {m.name: m for m in youth.network.all()}
    made = {}
    for index, (name, steps, screening, record) in enumerate(candidates):
        day = started_on + datetime.timedelta(days=1 + index)
        with on(day) as when:
            candidate = candidate_add(search=search, member=members[name], by=by, at=when)
        for step, (status, reason) in enumerate(steps, start=1):
            when = moment(min(day + datetime.timedelta(days=4 * step), last_day), 11, step)
            with on(when):
                candidate = candidate_status_set(
                    candidate=candidate, to=status, reason=reason, by=by, at=when
                )
        if screening:
            when = moment(min(day + datetime.timedelta(days=9), last_day), 14)
            with on(when):
                screening_record(candidate=candidate, results=screening, by=by, at=when)
        if record:
            kind, issued_ago = record
            checked_on = min(today - datetime.timedelta(days=issued_ago - 3), last_day)
            with on(checked_on, 15):
                record_check_save(
                    candidate=candidate,
                    kind=kind,
                    issued_on=today - datetime.timedelta(days=issued_ago),
                    checked_on=checked_on,
                    by=by,
                )
        made[name] = candidate
    if chosen_name:
        with on(last_day, 16):
            jim_choose(search=search, candidate=made[chosen_name], by=by, on=last_day)
    return search
