import datetime

import pytest
from django.utils import timezone

from mentors import services


@pytest.fixture
def search(youth, lead):
    """An open search for the cast's youth, started ten days ago."""
    return services.search_start(
        youth=youth, by=lead, started_on=timezone.localdate() - datetime.timedelta(days=10)
    )
