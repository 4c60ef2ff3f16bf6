"""Demo data for the case core: organisations, teams and the demo accounts (demo only!)."""

from .models import Organisation, Role, Team, User
from .services import team_create, team_member_add, user_role_set

DEMO_PASSWORD = "jim-demo-2026"

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
    "hv.anna": ("Anna Peeters", Role.HULPVERLENER, "brug", "Team A", "+32 9 123 45 01"),
    "hv.bram": ("Bram Claes", Role.HULPVERLENER, "brug", "Team A", "+32 9 123 45 02"),
    "hv.chris": ("Chris de Vries", Role.HULPVERLENER, "baken", "Team Utrecht-Oost", "+31 30 123 45 03"),
    "jim.wilma": ("Wilma Janssens", Role.JIM, "brug", None, "+32 470 12 34 04"),
    "jim.karel": ("Karel Bakker", Role.JIM, "baken", None, "+31 6 1234 5605"),
    "coord.dana": ("Dana Maes", Role.COORDINATOR, "brug", None, "+32 9 123 45 06"),
    "coord.erik": ("Erik Visser", Role.COORDINATOR, "baken", None, "+31 30 123 45 07"),
}
DEMO_USERNAMES = frozenset(ACCOUNTS)


def seed(context):
    """Create or update the core demo data; return the objects later seeders build on."""
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
    return {"organisations": orgs, "teams": teams, "users": users}
