"""The fixed cast every test knows by name (see CONVENTIONS.md, "Tests").

lead            the youth's lead professional (organisation 1, team A)
colleague       a professional in the same team, not assigned to the youth
stranger        a professional of another organisation
jim             the youth's JIM
other_jim       another youth's JIM
coordinator     the coordinator of organisation 1
other_coordinator  the coordinator of organisation 2
client          an anonymous visitor (pytest-django's client)
"""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from guardian.shortcuts import clear_ct_cache

from jimcase import services
from jimcase.models import Role, Youth
from jimcase.tests.clock import NOW, TODAY
from jimcase.tests.factories import PASSWORD, OrganisationFactory, UserFactory, team
from jimcase.tests.second_factor import pass_second_factor_if_required


@pytest.fixture(autouse=True)
def today(request):
    """Today for every test: TODAY (jimcase/tests/clock.py), from 10:00 in Brussels, the clock running on.

    time-machine moves Python's clock (datetime, time.time, so also the second factor's codes, the login
    lockout and the session's expiry); `tick=True` lets time pass from there, so timeouts and ordering by
    creation time still work. A test that needs another moment uses its own `time_machine.travel(...)`,
    which nests inside this one. A test that needs the date asks for this fixture (`today`) or imports
    TODAY; none calls `date.today()` at import time. No query computes a date in the database (no Now(),
    CURRENT_DATE): SQLite and PostgreSQL both see the travelled day.

    The browser tests (e2e/) stay on real time: a real Chromium's cookie clock cannot travel, and cookies
    dated in another day would expire or not be sent.
    """
    if request.node.get_closest_marker("e2e"):
        yield datetime.date.today()
        return
    with time_machine.travel(NOW, tick=True):
        yield TODAY


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is slow by design; tests create and log in many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Jeugdhulp Test")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Jeugdzorg Elders")


@pytest.fixture
def team_a(organisation):
    return team(organisation, "Team A")


@pytest.fixture
def lead(organisation, team_a):
    # A first and last name: the professional types them to sign (issue 21), as `sign_all` does.
    user = UserFactory(
        username="lead",
        first_name="Lead",
        last_name="Persoon",
        organisation=organisation,
        role=Role.PROFESSIONAL,
    )
    services.team_member_add(team=team_a, user=user)
    return user


@pytest.fixture
def colleague(organisation, team_a):
    user = UserFactory(username="colleague", organisation=organisation, role=Role.PROFESSIONAL)
    services.team_member_add(team=team_a, user=user)
    return user


@pytest.fixture
def stranger(other_organisation):
    return UserFactory(username="stranger", organisation=other_organisation, role=Role.PROFESSIONAL)


@pytest.fixture
def jim(organisation):
    return UserFactory(username="jim", organisation=organisation, role=Role.JIM)


@pytest.fixture
def other_jim(other_organisation):
    return UserFactory(username="otherjim", organisation=other_organisation, role=Role.JIM)


@pytest.fixture
def coordinator(organisation):
    return UserFactory(username="coordinator", organisation=organisation, role=Role.COORDINATOR)


@pytest.fixture
def other_coordinator(other_organisation):
    return UserFactory(username="othercoordinator", organisation=other_organisation, role=Role.COORDINATOR)


@pytest.fixture
def youth(organisation, team_a, lead):
    """A 15-year-old registered by `lead` (who becomes the lead), in team A but not shared with it."""
    return services.youth_register(
        by=lead,
        organisation=organisation,
        team=team_a,
        first_name="Lotte",
        last_name="Vermeulen",
        case_number="BRUG-0001",
        date_of_birth=datetime.date.today().replace(year=datetime.date.today().year - 15, day=1),
        referral_date=datetime.date.today(),
    )


@pytest.fixture
def make_youth(organisation, team_a, lead):
    """Register more youths for `lead` (for query counts at two data sizes)."""

    def _make(n=1, by=None, **fields):
        made = []
        for _i in range(n):
            defaults = {
                "organisation": organisation,
                "team": team_a,
                "first_name": "Jongere",
                "last_name": "Extra",
                "case_number": f"X-{Youth.objects.count() + 1:05d}",
                "date_of_birth": datetime.date(2011, 5, 1),
                "referral_date": datetime.date.today(),
            }
            defaults.update(fields)
            made.append(services.youth_register(by=by or lead, **defaults))
        return made

    return _make


@pytest.fixture
def login(client):
    """Log a cast member in through the login form's backend (and their second factor); return the client."""

    def _login(user):
        assert client.login(username=user.username, password=PASSWORD)
        # A coordinator also passes the second factor, as at the login page.
        return pass_second_factor_if_required(client, user)

    return _login


@pytest.fixture
def cast(lead, colleague, stranger, jim, other_jim, coordinator, other_coordinator):
    return {
        "lead": lead,
        "colleague": colleague,
        "stranger": stranger,
        "jim": jim,
        "other_jim": other_jim,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
    }


@pytest.fixture
def mail_server_down(settings):
    """The SMTP server refuses connections (EMAIL_HOST=127.0.0.1 EMAIL_PORT=1), as in production when it is down."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2


@pytest.fixture
def transactional_db_with_roles(transactional_db):
    """A database that really commits, with the role groups the data migrations made.

    A transactional test ends with a flush, which also empties the role groups; run those migrations'
    functions again (they are idempotent). Content types come back with new ids: drop the cached ones.
    """
    ContentType.objects.clear_cache()
    clear_ct_cache()
    for module, function in (
        ("jimcase.migrations.0002_roles", "create_roles"),
        ("triads.migrations.0002_roles", "grant"),
        ("triads.migrations.0004_peer_meeting_roles", "grant"),
    ):
        getattr(importlib.import_module(module), function)(django_apps, None)
