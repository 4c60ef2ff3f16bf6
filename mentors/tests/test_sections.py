import datetime

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from jimcase.models import Youth
from mentors import services
from mentors.sections import network_section, search_section

from . import factories

TODAY = timezone.localdate


def _render(section, lead, youth):
    request = RequestFactory().get("/")
    request.user = lead
    result = section(request, youth)
    return render_to_string(result["template"], {"youth": youth, **result["context"]}, request)


def test_both_sections_are_registered_for_the_youth_file():
    assert "mentors.sections.network_section" in settings.YOUTH_FILE_SECTIONS
    assert "mentors.sections.search_section" in settings.YOUTH_FILE_SECTIONS
    for path in settings.YOUTH_FILE_SECTIONS:
        assert callable(import_string(path))


def test_network_section_shows_count_and_map(youth, lead):
    for name in ("Maria Wouters", "Jonas Peeters"):
        factories.member(youth, lead, name)
    html = _render(network_section, lead, youth)
    assert "2 mensen in het netwerk" in html
    assert "<svg" in html and "Maria Wouters" in html
    assert reverse("mentors:network", args=[youth.pk]) in html


def test_search_section_shows_status_days_warnings_and_candidates(youth, lead):
    search = services.search_start(youth=youth, by=lead, started_on=TODAY() - datetime.timedelta(days=95))
    candidate = factories.candidate(search, lead, "Jef Verhaegen")
    services.candidate_status_set(candidate=candidate, to="discussed", by=lead)
    html = _render(search_section, lead, youth)
    assert "95 dagen" in html
    assert "De hulp staat on hold" in html
    assert "alert-danger" in html
    assert "Jef Verhaegen" in html and "besproken met de jongere" in html
    assert reverse("mentors:search", args=[youth.pk]) in html


def test_search_section_without_search(youth, lead):
    html = _render(search_section, lead, youth)
    assert "Nog geen zoektocht" in html


def _grow_sections(search, lead, youth, n):
    for _i in range(n):
        factories.candidate(search, lead, status="yes", screening=factories.all_met(), record=True)
        factories.member(youth, lead, closeness="middle", topics=[factories.topic(), factories.topic("home")])


# The network section: 4 since the people's topics (tooltips, "who for what") are prefetched in one query.
@pytest.mark.parametrize(("section", "queries"), [(network_section, 4), (search_section, 2)])
def test_sections_use_the_same_number_of_queries_at_two_sizes(
    youth, lead, section, queries, django_assert_num_queries
):
    youth = Youth.objects.select_related("organisation").get(pk=youth.pk)
    search = services.search_start(youth=youth, by=lead)
    _grow_sections(search, lead, youth, 1)
    youth = Youth.objects.select_related("organisation").get(pk=youth.pk)  # as each request reads it
    with django_assert_num_queries(queries, info="one candidate, one other member"):
        _render(section, lead, youth)
    _grow_sections(search, lead, youth, 8)
    youth = Youth.objects.select_related("organisation").get(pk=youth.pk)
    with django_assert_num_queries(queries, info="nine candidates, nine other members"):
        html = _render(section, lead, youth)
    assert html.count("Persoon") >= 9


def test_the_youth_file_page_shows_both_sections(login, lead, youth):
    factories.member(youth, lead, "Maria Wouters")
    services.search_start(youth=youth, by=lead)
    html = login(lead).get(reverse("jimcase:youth_detail", args=[youth.pk])).content.decode()
    assert "section-network" in html and "Maria Wouters" in html
    assert "section-search" in html
