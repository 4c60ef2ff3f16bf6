"""Demo data for the case core: organisations, teams and the demo accounts (demo only!)."""

import datetime

from django.utils import timezone

from .demo_clock import on
from .models import CaseAssignment, Organisation, ParentGuardian, Role, Team, Training, User, Youth
from .services import (
    assignment_add,
    note_add,
    parent_save,
    team_create,
    team_member_add,
    training_save,
    user_role_set,
    youth_register,
)

DEMO_PASSWORD = "jim-demo-2026"  # noqa: S105 - demo only, printed in the README

ORGANISATIONS = {
    "brug": {
        "name": "Jeugdhulp De Brug (demo)",
        "jurisdiction": Organisation.Jurisdiction.FLANDERS,
        "requires_criminal_record_extract": True,
    },
    "baken": {
        "name": "Jeugdzorg Het Baken (demo)",
        "jurisdiction": Organisation.Jurisdiction.NETHERLANDS,
        "requires_criminal_record_extract": True,
    },
}
TEAMS = [("brug", "Team A"), ("brug", "Team B"), ("baken", "Team Utrecht-Oost")]

# username: (display name, role, organisation key, team name or None, phone)
ACCOUNTS = {
    "hv.anna": ("Anna Peeters", Role.PROFESSIONAL, "brug", "Team A", "+32 9 123 45 01"),
    "hv.bram": ("Bram Claes", Role.PROFESSIONAL, "brug", "Team A", "+32 9 123 45 02"),
    "hv.chris": ("Chris de Vries", Role.PROFESSIONAL, "baken", "Team Utrecht-Oost", "+31 30 123 45 03"),
    "jim.wilma": ("Wilma Janssens", Role.JIM, "brug", None, "+32 470 12 34 04"),
    "jim.karel": ("Karel Bakker", Role.JIM, "baken", None, "+31 6 1234 5605"),
    "coord.dana": ("Dana Maes", Role.COORDINATOR, "brug", None, "+32 9 123 45 06"),
    "coord.erik": ("Erik Visser", Role.COORDINATOR, "baken", None, "+31 30 123 45 07"),
    # The professionals of De Brug's year of history for the reports (reports.demo); none of it is hv.anna's.
    "hv.eva": ("Eva Lemmens", Role.PROFESSIONAL, "brug", "Team A", "+32 9 123 45 08"),
    "hv.frank": ("Frank Vermeulen", Role.PROFESSIONAL, "brug", "Team B", "+32 9 123 45 09"),
    "hv.greet": ("Greet Aerts", Role.PROFESSIONAL, "brug", "Team B", "+32 9 123 45 10"),
}
DEMO_USERNAMES = frozenset(ACCOUNTS)

#: Days before today the organisations, teams and accounts were set up: before the oldest history.
SET_UP_AGO = 540


def seed(context):
    """Create or update the core demo data; return the objects later seeders build on.

    Each step runs on the day it describes (`jimcase.demo_clock.on`): the accounts before the history.
    """
    with on(timezone.localdate() - datetime.timedelta(days=SET_UP_AGO)):
        orgs, teams, users = _seed_accounts()
    _seed_trainings(users)
    youths = _seed_youths(orgs, teams, users)
    return {"organisations": orgs, "teams": teams, "users": users, "youths": youths}


def _seed_accounts():
    orgs = {}
    for key, values in ORGANISATIONS.items():
        name = values["name"]
        orgs[key], _ = Organisation.objects.update_or_create(
            name=name, defaults={k: v for k, v in values.items() if k != "name"}
        )
    teams = {}
    for org_key, name in TEAMS:
        team = Team.objects.filter(organisation=orgs[org_key], name=name).first()
        teams[name] = team or team_create(organisation=orgs[org_key], name=name)
    users = {}
    for username, (display_name, role, org_key, team_name, phone) in ACCOUNTS.items():
        first, last = display_name.split(" ", 1)
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "first_name": first,
                "last_name": last,
                "email": f"{username.replace('.', '-')}@demo.jim.invalid",
                "phone": phone,
                "organisation": orgs[org_key],
                "is_active": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user_role_set(user=user, role=role)
        if team_name:
            team_member_add(team=teams[team_name], user=user)
        users[username] = user
    return orgs, teams, users


# professional: (kind, days ago, given by, recorded by). Bram has none: his caseload shows the hint.
TRAININGS = {
    "hv.anna": (Training.Kind.METHOD, 200, "JIM-opleiders (demo)", "coord.dana"),
    "hv.chris": (Training.Kind.OWN, 90, "Vormingsteam Het Baken (demo)", "coord.erik"),
}


def _seed_trainings(users):
    today = timezone.localdate()
    for username, (kind, days_ago, provider, by) in TRAININGS.items():
        if not users[username].trainings.exists():
            completed_on = today - datetime.timedelta(days=days_ago)
            training = Training(user=users[username], kind=kind, completed_on=completed_on, provider=provider)
            with on(completed_on, 16):
                training_save(training=training, by=users[by])


#: Days before today the six youths were referred (and registered), and their first note written.
REFERRED_AGO, FIRST_NOTE_AGO, BACKUP_AGO = 120, 110, 30

# key: (professional, case number, first, last, age, living situation, shared with team, parents)
YOUTHS = {
    "noor": (
        "hv.anna",
        "BRUG-2026-001",
        "Noor",
        "Wouters",
        14,
        Youth.LivingSituation.AT_HOME,
        False,
        [
            ("Els Wouters", ParentGuardian.Relation.MOTHER, True),
            ("Tom Wouters", ParentGuardian.Relation.FATHER, True),
        ],
    ),
    "milan": (
        "hv.anna",
        "BRUG-2026-002",
        "Milan",
        "Jacobs",
        16,
        Youth.LivingSituation.RESIDENTIAL,
        True,
        [("Sofie Jacobs", ParentGuardian.Relation.MOTHER, True)],
    ),
    "yasmine": (
        "hv.anna",
        "BRUG-2026-003",
        "Yasmine",
        "El Amrani",
        17,
        Youth.LivingSituation.FOSTER_CARE,
        False,
        [
            ("Fatima El Amrani", ParentGuardian.Relation.MOTHER, True),
            ("Karim El Amrani", ParentGuardian.Relation.FATHER, False),
            ("Greet Van Damme", ParentGuardian.Relation.FOSTER_PARENT, False),
        ],
    ),
    "lucas": (
        "hv.anna",
        "BRUG-2026-004",
        "Lucas",
        "Mertens",
        15,
        Youth.LivingSituation.AT_HOME,
        False,
        [
            ("Ann Mertens", ParentGuardian.Relation.MOTHER, True),
            ("Koen Mertens", ParentGuardian.Relation.FATHER, True),
        ],
    ),
    "daan": (
        "hv.chris",
        "BAKEN-2026-001",
        "Daan",
        "de Boer",
        15,
        Youth.LivingSituation.AT_HOME,
        False,
        [("Marieke de Boer", ParentGuardian.Relation.MOTHER, True)],
    ),
    "sanne": (
        "hv.chris",
        "BAKEN-2026-002",
        "Sanne",
        "Smit",
        17,
        Youth.LivingSituation.INDEPENDENT,
        False,
        [("Peter Smit", ParentGuardian.Relation.FATHER, True)],
    ),
}


def _seed_youths(orgs, teams, users):
    today = timezone.localdate()
    referred = today - datetime.timedelta(days=REFERRED_AGO)
    youths = {}
    for index, (key, (username, case_number, first, last, age, living, shared, parents)) in enumerate(
        YOUTHS.items()
    ):
        professional = users[username]
        youth = Youth.objects.filter(organisation=professional.organisation, case_number=case_number).first()
        if youth is None:
            with on(referred, 9 + index):
                youth = youth_register(
                    by=professional,
                    organisation=professional.organisation,
                    team=professional.teams.first(),
                    shared_with_team=shared,
                    first_name=first,
                    last_name=last,
                    case_number=case_number,
                    date_of_birth=datetime.date(today.year - age, 3, 14),
                    living_situation=living,
                    school_work="Secundair onderwijs" if age < 18 else "",
                    referral_date=referred,
                )
                for name, relation, authority in parents:
                    parent_save(
                        parent=ParentGuardian(
                            youth=youth,
                            name=name,
                            relation=relation,
                            has_parental_authority=authority,
                            phone="+32 470 00 00 00",
                        ),
                        by=professional,
                    )
            written_on = today - datetime.timedelta(days=FIRST_NOTE_AGO)
            with on(written_on, 9 + index):
                note_add(
                    youth=youth,
                    author=professional,
                    written_on=written_on,
                    text=f"Eerste gesprek met {first}. Eerst de wie-vraag: wie kan er met {first} meedenken?",
                )
        youths[key] = youth
    lucas = youths["lucas"]
    if not lucas.assignments.filter(professional=users["hv.bram"]).exists():
        starts_on = today - datetime.timedelta(days=BACKUP_AGO)
        with on(starts_on):
            assignment_add(
                youth=lucas,
                professional=users["hv.bram"],
                role=CaseAssignment.Role.BACKUP,
                starts_on=starts_on,
                by=users["hv.anna"],
            )
    return youths
