"""Scale data for the benchmark: N youths on top of the demo, written with bulk inserts (demo only!).

`seed_demo --scale N` runs the demo first, then each app's scale seeder (settings.SCALE_SEEDERS) in
layer order. The rows are those the services would write — case assignments with the guardian
permission rows they grant, team shares, notes, parents, the access log's "registered" row — but
inserted in batches instead of one service call per object, so 100 000 youths take minutes.

Proportions per 100 youths: one professional (teams of about ten, ten organisations, De Brug the
largest), one or two parents, three notes, a backup professional for one in five, a team share for
one in four. hv.anna leads about 40 youths. The stages are spread so that the apps above can give
each stage its search (mentors) and one youth in five a triad (triads).

A youth is registered as the services register one (referred since the referral, one history row); the
stage each youth is meant to reach is its plan, passed on in `scale_youths`. The apps above write the
search and the triad of that plan with their dates and report each change of a fact as a `StageMove`
(`context["stage_moves"]`: on that day the fact of that search or triad became this, or went away).
`stage_histories`, the last scale seeder, replays those moves youth by youth through `stages.stage_from`,
as `youth_stage_refresh` would have written them on each day: the stage history move by move, and the
youth's stage and since when.
"""

import contextlib
import datetime
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import timezone

from .demo import DEMO_PASSWORD
from .models import (
    AccessLog,
    CaseAssignment,
    LivingSituationChange,
    NobodyCanDecide,
    Note,
    Organisation,
    ParentGuardian,
    Role,
    StageChange,
    Team,
    User,
    Youth,
    YouthGroupObjectPermission,
    YouthUserObjectPermission,
)
from .rules import ADULT_AGE
from .stages import stage_from

#: Every account the scale data makes starts with this, so seed_demo can tell it from real accounts.
SCALE_USERNAME_PREFIX = "scale."
#: Marks the scale data's organisations (seed_demo --scale refuses to add a second set).
SCALE_ORGANISATION_SUFFIX = "(scale demo)"
BATCH = 2000
CHUNK = 5000  # youths handled at once: bounded memory at 100 000
ORGANISATIONS = 10
TEAM_SIZE = 10
#: hv.anna's caseload: the demo gives her five youths, the scale data adds the rest.
ANNA_CASELOAD = 40

#: (stage, share). Searching and later stages get a search; in_triad and triad_ended (20 %) a triad.
STAGES = [
    (Youth.Stage.REFERRED, 0.20),
    (Youth.Stage.SEARCHING, 0.25),
    (Youth.Stage.SEARCH_STOPPED, 0.10),
    (Youth.Stage.JIM_FOUND, 0.25),
    (Youth.Stage.IN_TRIAD, 0.15),
    (Youth.Stage.TRIAD_ENDED, 0.05),
]

FIRST_NAMES = [
    "Noah",
    "Lucas",
    "Liam",
    "Adam",
    "Arthur",
    "Louis",
    "Jules",
    "Victor",
    "Finn",
    "Mats",
    "Milan",
    "Daan",
    "Sem",
    "Levi",
    "Luuk",
    "Bram",
    "Ilias",
    "Amir",
    "Emma",
    "Olivia",
    "Louise",
    "Mila",
    "Nora",
    "Elena",
    "Lina",
    "Julie",
    "Fien",
    "Sara",
    "Yasmine",
    "Noor",
    "Lotte",
    "Sanne",
    "Zoë",
    "Ines",
    "Aya",
    "Hanna",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De",
    "Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "De",
    "Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "De",
    "Boer",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "El",
    "Amrani",
    "Yilmaz",
    "Benali",
    "Verhoeven",
    "Van",
    "Damme",
    "Desmet",
    "Claeys",
    "Verbeke",
]
NOTE_TEXTS = (
    "Gesprek met de jongere over school en vrienden.",
    "Huisbezoek: de ouders denken mee over de wie-vraag.",
    "Telefonisch contact; volgende afspraak over twee weken.",
    "Overleg in het team over de verdere aanpak.",
    "De jongere vertelt over een oom die vroeger veel hielp.",
)


@contextlib.contextmanager
def explicit_timestamps(*fields):
    """Let bulk inserts keep the `auto_now_add` timestamps they are given (demo history, not today)."""
    saved = [(field, field.auto_now_add) for field in fields]
    for field, _value in saved:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in saved:
            field.auto_now_add = value


def scale_data_present():
    return Organisation.objects.filter(name__endswith=SCALE_ORGANISATION_SUFFIX).exists()


def object_permission(codename, app_label, model):
    return Permission.objects.get(
        codename=codename, content_type__app_label=app_label, content_type__model=model
    )


def chunks(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _name(rng):
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def seed(context):
    """Add `context["scale"]` youths with their professionals, teams and files; return what later apps need."""
    n = context["scale"]
    rng = context["rng"]
    today = timezone.localdate()
    password = make_password(DEMO_PASSWORD)
    demo_orgs, demo_users = context["organisations"], context["users"]
    professional_group = Group.objects.get(name=Role.PROFESSIONAL)

    # Organisations: the two demo ones plus eight more; De Brug (hv.anna's, coord.dana's) is the largest.
    organisations = [demo_orgs["brug"], demo_orgs["baken"]]
    organisations += Organisation.objects.bulk_create(
        Organisation(
            name=f"Jeugdhulp Regio {index:02d} {SCALE_ORGANISATION_SUFFIX}",
            jurisdiction=Organisation.Jurisdiction.FLANDERS
            if index % 2
            else Organisation.Jurisdiction.NETHERLANDS,
            requires_criminal_record_extract=True,
        )
        for index in range(3, ORGANISATIONS + 1)
    )
    weights = [4.5] + [1.0] * (len(organisations) - 1)

    # Professionals: N/100 (at least one per organisation), in teams of about ten per organisation.
    n_professionals = max(len(organisations), n // 100)
    per_org = [1 + part for part in _spread(n_professionals - len(organisations), weights)]
    groups, teams, professionals = [], [], []
    for org, count in zip(organisations, per_org, strict=True):
        for t in range(max(1, round(count / TEAM_SIZE))):
            groups.append(Group(name=f"team:{org.pk}:Scale team {t + 1:03d}"))
    groups = Group.objects.bulk_create(groups, batch_size=BATCH)
    group_iter = iter(groups)
    org_teams = {}
    for org, count in zip(organisations, per_org, strict=True):
        org_teams[org.pk] = [
            Team(organisation=org, name=f"Scale team {t + 1:03d}", group=next(group_iter))
            for t in range(max(1, round(count / TEAM_SIZE)))
        ]
        teams += org_teams[org.pk]
    Team.objects.bulk_create(teams, batch_size=BATCH)
    number = 0
    memberships = []
    professional_team = {}
    for org, count in zip(organisations, per_org, strict=True):
        for i in range(count):
            number += 1
            first, last = _name(rng)
            professionals.append(
                User(
                    username=f"{SCALE_USERNAME_PREFIX}hv{number:05d}",
                    password=password,
                    first_name=first,
                    last_name=last,
                    display_name=f"{first} {last}",
                    email=f"scale-hv{number:05d}@demo.jim.invalid",
                    organisation=org,
                )
            )
            professional_team[number - 1] = org_teams[org.pk][i % len(org_teams[org.pk])]
    professionals = User.objects.bulk_create(professionals, batch_size=BATCH)
    Membership = User.groups.through
    for index, user in enumerate(professionals):
        memberships.append(Membership(user_id=user.pk, group_id=professional_group.pk))
        memberships.append(Membership(user_id=user.pk, group_id=professional_team[index].group_id))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    staff_by_org = {org.pk: [] for org in organisations}
    team_of = {}
    for index, user in enumerate(professionals):
        staff_by_org[user.organisation_id].append(user)
        team_of[user.pk] = professional_team[index]

    # Youths, organisation by organisation, each with a lead of that organisation; hv.anna gets her 40.
    anna = demo_users["hv.anna"]
    anna_team = demo_users["hv.anna"].teams.first()
    anna_extra = max(0, min(ANNA_CASELOAD - _open_leads(anna), n // 10))
    team_of[anna.pk] = anna_team
    plan = []  # (organisation, lead)
    per_org_youths = _spread(n, weights)
    for org, count in zip(organisations, per_org_youths, strict=True):
        staff = staff_by_org[org.pk]
        for i in range(count):
            if org.pk == anna.organisation_id and i < anna_extra:
                plan.append((org, anna))
            else:
                plan.append((org, staff[rng.randrange(len(staff))]))
    stages = _stage_list(n, rng)
    view = object_permission("view_youth", "jimcase", "youth")
    change = object_permission("change_youth", "jimcase", "youth")
    youth_rows = []  # (youth id, organisation id, lead id, stage, created on)
    counter = {}
    for part_start in range(0, n, CHUNK):
        part = plan[part_start : part_start + CHUNK]
        youths = []
        for org, lead in part:
            counter[org.pk] = counter.get(org.pk, 0) + 1
            first, last = _name(rng)
            age = rng.randint(12, 19)
            referred = today - datetime.timedelta(days=rng.randint(30, 900))
            team = team_of[lead.pk]
            youths.append(
                Youth(
                    organisation=org,
                    team=team,
                    shared_with_team=rng.random() < 0.25,
                    first_name=first,
                    last_name=last,
                    date_of_birth=datetime.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                    case_number=f"S{org.pk}-{counter[org.pk]:06d}",
                    living_situation=rng.choice(Youth.LivingSituation.values),
                    placement_considered=rng.choices(Youth.PlacementConsidered.values, (3, 5, 2))[0],
                    school_work="Secundair onderwijs" if age < 18 else "",
                    referral_date=referred,
                    # Registered as referred: `stage_histories` moves the stage as the facts come in.
                    stage=Youth.Stage.REFERRED,
                    stage_since=referred,
                    created_by=lead,
                    created_at=timezone.make_aware(datetime.datetime.combine(referred, datetime.time(10))),
                )
            )
        with explicit_timestamps(Youth._meta.get_field("created_at")):
            youths = Youth.objects.bulk_create(youths, batch_size=BATCH)
        youth_files(youths, [lead for _org, lead in part], staff_by_org, rng, today, view, change)
        youth_rows += [
            (youth.pk, youth.organisation_id, lead.pk, stage, youth.referral_date)
            for youth, (_org, lead), stage in zip(
                youths, part, stages[part_start : part_start + CHUNK], strict=True
            )
        ]
    return {
        "scale_youths": youth_rows,
        "scale_professionals": [user.pk for user in professionals],
        "scale_password": password,
        "stage_moves": [],
    }


class StageMove(NamedTuple):
    """On day `on`, the fact `key` (a search or a triad, as its app names it) about the youth became `fact`
    (a `stages.StageFact`; None: it no longer counts), recorded with the reason `why` (a StageChange.Why)."""

    youth_id: int
    on: datetime.date
    key: object
    fact: object
    why: str


def stage_histories(context):
    """Replay the apps' stage moves (`context["stage_moves"]`, in the order each youth's facts changed)
    through `stages.stage_from`: a history row wherever the derived stage changes, dated on the move's day,
    then each youth's stage and since when. A youth whose derived stage is not its plan's is a seeder bug."""
    moves_of = {}
    for move in context.get("stage_moves", ()):
        moves_of.setdefault(move.youth_id, []).append(move)
    now = timezone.now()
    changes, moved = [], []
    for youth_id, _org, lead_id, planned, _referred in context["scale_youths"]:
        facts, stage, since = {}, Youth.Stage.REFERRED, None
        # Sorted by day only (stable): on one day, the moves keep the order in which they happened, an hour
        # apart from 11:00 (after the registration at 10:00).
        for hour, move in enumerate(sorted(moves_of.get(youth_id, ()), key=lambda m: m.on), start=11):
            if move.fact is None:
                facts.pop(move.key, None)
            else:
                facts[move.key] = move.fact
            derived, derived_since = stage_from(list(facts.values()))
            if derived != stage:
                at = min(now, timezone.make_aware(datetime.datetime.combine(move.on, datetime.time(hour))))
                changes.append(
                    StageChange(
                        youth_id=youth_id,
                        from_stage=stage,
                        to_stage=derived,
                        on=move.on,
                        at=at,
                        by_id=lead_id,
                        why=move.why,
                    )
                )
                stage, since = derived, derived_since or move.on
        if stage != planned:
            raise ValueError(f"Scale youth {youth_id}: planned {planned}, the facts say {stage}")
        if stage != Youth.Stage.REFERRED:
            moved.append((youth_id, stage, since))
    StageChange.objects.bulk_create(changes, batch_size=BATCH)
    bulk_set(Youth, ["stage", "stage_since"], moved)
    return {"stage_moves": []}


def bulk_set(model, fields, rows):
    """Set `fields` of many rows of `model`, rows being (pk, value, …): one UPDATE … FROM (VALUES …) per
    batch, on PostgreSQL and SQLite alike (both name the columns of VALUES column1, column2, …). Django's
    bulk_update builds a CASE per row and field in Python, which takes longer than all the inserts."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = [connection.ops.quote_name(model._meta.get_field(name).column) for name in fields]
    assignments = ", ".join(f"{column} = v.column{index}" for index, column in enumerate(columns, start=2))
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for part in chunks(rows, BATCH // 2):
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(part))}) AS v "  # noqa: S608 - names from the model, values as parameters
                f"WHERE {table}.{pk} = v.column1",
                [value for values in part for value in values],
            )


def youth_files(youths, leads, staff_by_org, rng, today, view, change, *, histories=True):
    """The rows the services write around a new file: assignments, permissions, parents (or why nobody can
    decide for a minor without one with parental authority), notes, log.

    With `histories` False the caller writes the stage and living-situation histories itself (the demo
    history of `reports.demo` replays every move); with True, the registration's rows (the scale data's
    later stage moves come from `stage_histories`).
    """
    assignments, user_perms, group_perms, parents, notes, log = [], [], [], [], [], []
    stages, situations, nobody = [], [], []
    if histories:
        # The histories start at the registration (`stage_histories` adds the moves after it).
        stages = [
            StageChange(
                youth=youth,
                to_stage=youth.stage,
                on=youth.stage_since,
                at=youth.created_at,
                by=lead,
                why=StageChange.Why.REGISTERED,
            )
            for youth, lead in zip(youths, leads, strict=True)
        ]
        situations = [
            LivingSituationChange(
                youth=youth, to_situation=youth.living_situation, on=youth.referral_date, by=lead
            )
            for youth, lead in zip(youths, leads, strict=True)
        ]
    for youth, lead in zip(youths, leads, strict=True):
        assignments.append(
            CaseAssignment(
                youth=youth,
                professional=lead,
                role=CaseAssignment.Role.LEAD,
                starts_on=youth.referral_date,
                created_by=lead,
            )
        )
        granted = [lead]
        colleagues = staff_by_org[youth.organisation_id]
        if rng.random() < 0.2 and len(colleagues) > 1:
            backup = rng.choice(colleagues)
            if backup.pk != lead.pk:
                assignments.append(
                    CaseAssignment(
                        youth=youth,
                        professional=backup,
                        role=CaseAssignment.Role.BACKUP,
                        starts_on=youth.referral_date + datetime.timedelta(days=7),
                        created_by=lead,
                    )
                )
                granted.append(backup)
        for user in granted:
            user_perms += [
                YouthUserObjectPermission(user=user, permission=perm, content_object=youth)
                for perm in (view, change)
            ]
        if youth.shared_with_team:
            group_perms += [
                YouthGroupObjectPermission(
                    group_id=youth.team.group_id, permission=perm, content_object=youth
                )
                for perm in (view, change)
            ]
        decides = False
        for relation in rng.sample(
            [ParentGuardian.Relation.MOTHER, ParentGuardian.Relation.FATHER], rng.randint(1, 2)
        ):
            parents.append(
                ParentGuardian(
                    youth=youth,
                    name=f"{rng.choice(FIRST_NAMES)} {youth.last_name}",
                    relation=relation,
                    has_parental_authority=rng.random() < 0.9,
                    phone="+32 470 00 00 00",
                )
            )
            decides = decides or parents[-1].has_parental_authority
        if not decides and youth.age_on(youth.referral_date) < ADULT_AGE:
            # A minor registered without a parent with parental authority: the registration records why
            # nobody can decide (issue 21), as its page asks.
            nobody.append(
                NobodyCanDecide(
                    youth=youth,
                    reason=NobodyCanDecide.STATED[len(nobody) % len(NobodyCanDecide.STATED)],
                    explanation="Besproken met de jeugdrechter; zie het verslag in het dossier.",
                    on=youth.referral_date,
                    at=youth.created_at,
                    by=lead,
                )
            )
        span = max(1, (today - youth.referral_date).days)
        for _i in range(rng.randint(1, 5)):
            notes.append(
                Note(
                    youth=youth,
                    author=rng.choice(granted),
                    written_on=youth.referral_date + datetime.timedelta(days=rng.randrange(span)),
                    text=rng.choice(NOTE_TEXTS),
                    in_confidence=rng.random() < 0.1,
                )
            )
        log.append(
            AccessLog(
                youth=youth,
                user=lead,
                page="register",
                action=AccessLog.Action.CHANGE,
                at=youth.created_at,
            )
        )
    CaseAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    StageChange.objects.bulk_create(stages, batch_size=BATCH)
    LivingSituationChange.objects.bulk_create(situations, batch_size=BATCH)
    YouthUserObjectPermission.objects.bulk_create(user_perms, batch_size=BATCH)
    YouthGroupObjectPermission.objects.bulk_create(group_perms, batch_size=BATCH)
    ParentGuardian.objects.bulk_create(parents, batch_size=BATCH)
    NobodyCanDecide.objects.bulk_create(nobody, batch_size=BATCH)
    Note.objects.bulk_create(notes, batch_size=BATCH)
    with explicit_timestamps(AccessLog._meta.get_field("at")):
        AccessLog.objects.bulk_create(log, batch_size=BATCH)


def _open_leads(user):
    return CaseAssignment.objects.filter(
        professional=user, role=CaseAssignment.Role.LEAD, ends_on__isnull=True
    ).count()


def _spread(total, weights):
    """Split `total` in whole parts proportional to `weights` (the parts add up to `total`)."""
    whole = sum(weights)
    parts = [int(total * w / whole) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


def _stage_list(n, rng):
    stages = []
    for stage, share in STAGES:
        stages += [stage] * round(n * share)
    stages = (stages + [Youth.Stage.REFERRED] * n)[:n]
    rng.shuffle(stages)
    return stages


def new_users(usernames_and_names, *, organisation_ids, password, role):
    """Bulk-create accounts in `role` (demo scale only): [(username, display name)] → users."""
    group = Group.objects.get(name=role)
    users = User.objects.bulk_create(
        [
            User(
                username=username,
                password=password,
                display_name=name,
                first_name=name.split(" ", 1)[0],
                last_name=name.split(" ", 1)[-1],
                email=f"{username.replace('.', '-')}@demo.jim.invalid",
                organisation_id=org_id,
            )
            for (username, name), org_id in zip(usernames_and_names, organisation_ids, strict=True)
        ],
        batch_size=BATCH,
    )
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=user.pk, group_id=group.pk) for user in users], batch_size=BATCH
    )
    return users
