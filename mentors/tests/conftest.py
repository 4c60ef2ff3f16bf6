import datetime

import pytest
from django.utils import timezone

from mentors import services
from mentors.models import NetworkMember

from . import factories


@pytest.fixture
def search(youth, lead):
    """An open search for the cast's youth, started ten days ago."""
    return services.search_start(
        youth=youth, by=lead, started_on=timezone.localdate() - datetime.timedelta(days=10)
    )


@pytest.fixture
def world(youth, lead, search):
    """The cast's youth with an open search, a network member and that member as a candidate."""
    member = factories.member(youth, lead, "Wilma Janssens", relation=NetworkMember.Relation.FAMILY_FRIEND)
    candidate = services.candidate_add(search=search, member=member, by=lead)
    return {"youth": youth, "search": search, "member": member, "candidate": candidate}
