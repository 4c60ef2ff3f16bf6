import datetime

import pytest
from django.utils import timezone

from jimcase import services as case_services
from jimcase.models import ParentGuardian
from mentors.models import JimProfile, NetworkMember, Search
from triads import services
from triads.models import Party, Signature

#: The outcome every closure records (issue 13): where the youth lives, the placement, the goals.
OUTCOME = {"living_situation": "at_home", "placement_outcome": "not_applicable", "goals_reached": "partly"}


@pytest.fixture
def parents(youth):
    """Two parents with parental authority and a foster parent without."""
    return [
        ParentGuardian.objects.create(
            youth=youth, name="Els Wouters", relation="mother", email="els@example.org"
        ),
        ParentGuardian.objects.create(
            youth=youth, name="Tom Wouters", relation="father", email="tom@example.org"
        ),
        ParentGuardian.objects.create(
            youth=youth, name="Greet Pleeg", relation="foster_parent", has_parental_authority=False
        ),
    ]


@pytest.fixture
def found_search(youth, lead, jim):
    """A search in which the youth chose a JIM whose profile is linked to the cast's `jim` account."""
    today = timezone.localdate()
    member = NetworkMember.objects.create(
        youth=youth,
        name="Wilma Janssens",
        relation="family_friend",
        closeness="close",
        is_adult=True,
        email="wilma@example.org",
        phone="+32 470 12 34 56",
    )
    profile = JimProfile.objects.create(
        organisation=youth.organisation,
        member=member,
        name=member.name,
        email=member.email,
        phone=member.phone,
        user=jim,
    )
    return Search.objects.create(
        youth=youth,
        status=Search.Status.FOUND,
        started_on=today - datetime.timedelta(days=30),
        started_by=lead,
        ended_on=today,
        ended_by=lead,
        days_to_nomination=30,
        jim_profile=profile,
    )


@pytest.fixture
def triad(found_search, lead, parents):
    return services.triad_create(search=found_search, by=lead)


def sign_all(agreement, lead):
    """Sign a version as youth, professional and JIM (in person / logged in)."""
    services.agreement_sign(
        agreement=agreement,
        party=Party.YOUTH,
        method=Signature.Method.IN_PERSON,
        typed_name=f"{agreement.triad.youth.first_name} {agreement.triad.youth.last_name}",
        user=lead,
    )
    services.agreement_sign(
        agreement=agreement,
        party=Party.PROFESSIONAL,
        method=Signature.Method.LOGGED_IN,
        typed_name="Lead Persoon",
        user=lead,
    )
    services.agreement_sign(
        agreement=agreement,
        party=Party.JIM,
        method=Signature.Method.IN_PERSON,
        typed_name=agreement.triad.jim_profile.name,
        user=lead,
    )


def give_all_consents(triad, lead):
    for parent in triad.youth.parents.filter(has_parental_authority=True):
        services.consent_record(
            triad=triad,
            parent=parent,
            decision="given",
            decided_on=timezone.localdate(),
            method="writing",
            by=lead,
        )


def make_found_search(youth, by, jim_user=None, name="Jef Peeters", email="jef@example.org"):
    """A FOUND search for `youth` with a chosen JIM (linked to `jim_user` when given)."""
    today = timezone.localdate()
    member = NetworkMember.objects.create(
        youth=youth,
        name=name,
        relation="family_friend",
        closeness="close",
        is_adult=True,
        email=email,
        phone="+32 470 99 88 77",
    )
    profile = JimProfile.objects.create(
        organisation=youth.organisation,
        member=member,
        name=name,
        email=email,
        phone=member.phone,
        user=jim_user,
    )
    return Search.objects.create(
        youth=youth,
        status=Search.Status.FOUND,
        started_on=today - datetime.timedelta(days=20),
        started_by=by,
        ended_on=today,
        ended_by=by,
        days_to_nomination=20,
        jim_profile=profile,
    )


@pytest.fixture
def other_triad(make_youth, stranger, other_organisation, other_jim):
    """Another youth's triad (organisation 2, led by `stranger`) whose JIM is `other_jim`."""
    (other_youth,) = make_youth(
        by=stranger, organisation=other_organisation, team=None, first_name="Sem", last_name="Anders"
    )
    search = make_found_search(other_youth, stranger, jim_user=other_jim, name="Rita Anders")
    return services.triad_create(search=search, by=stranger)


@pytest.fixture
def started_triad(triad, lead):
    """The cast's triad, fully signed and consented: in its trial period."""
    sign_all(triad.current_agreement, lead)
    give_all_consents(triad, lead)
    triad.refresh_from_db()
    assert triad.status == "trial"
    return triad


def assign_backup(youth, professional, by):
    """Assign `professional` as backup on `youth` (a fallback professional must work on the file)."""
    return case_services.assignment_add(
        youth=youth, professional=professional, role="backup", starts_on=timezone.localdate(), by=by
    )
