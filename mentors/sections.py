"""Sections of the youth's file page (settings.YOUTH_FILE_SECTIONS), each in a fixed number of queries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jimcase.models import Youth
from jimcase.stages import StageFact

from . import selectors
from .models import Search
from .networkmap import network_map_svg

#: How this app's pages read in the youth's access log (settings.ACCESS_LOG_PAGES).
ACCESS_LOG_PAGES = {
    "mentors:network": _("network"),
    "mentors:network_map": _("network map"),
    "mentors:member_add": _("network: add a person"),
    "mentors:member_edit": _("network: edit a person"),
    "mentors:search": _("wie-vraag"),
    "mentors:search_start": _("wie-vraag: start"),
    "mentors:search_stop": _("wie-vraag: stop"),
    "mentors:candidate_add": _("candidate: add"),
    "mentors:candidate_status": _("candidate: status"),
    "mentors:candidate_status_quick": _("candidate: status (one click)"),
    "mentors:candidate_move": _("candidate: order"),
    "mentors:candidate_screening": _("candidate: screening"),
    "mentors:candidate_record_check": _("candidate: criminal-record check"),
    "mentors:candidate_choose": _("choice of the JIM"),
}


def youth_of_url(match):
    """The youth a wie-vraag page is about (`youth_pk` in every address), for the access log."""
    if match.namespace == "mentors":
        return match.kwargs.get("youth_pk")
    return None


def network_section(request, youth):
    """The network on the youth's file: how many people, and the map."""
    members = selectors.network_of(youth)
    candidate_ids, chosen_ids = selectors.highlights_of(
        selectors.file_searches(youth), selectors.file_candidates(youth)
    )
    svg = network_map_svg(
        youth=youth,
        members=members,
        candidate_ids=candidate_ids,
        chosen_ids=chosen_ids,
        id_prefix=f"file-network-map-{youth.pk}",
    )
    return {
        "template": "mentors/section_network.html",
        "context": {"youth": youth, "member_count": len(members), "map_svg": svg},
    }


def search_section(request, youth):
    """The wie-vraag on the youth's file: status, days open, warnings and the candidates."""
    today = timezone.localdate()
    searches = selectors.file_searches(youth)
    current = searches[0] if searches else None
    candidates = selectors.file_candidates(youth)
    return {
        "template": "mentors/section_search.html",
        "context": {
            "youth": youth,
            "search": current,
            "candidates": candidates,
            "days_open": current.days_open(today) if current else None,
            "warning": current.warning_level(today) if current else "",
            "other_jim": selectors.other_jim_found(searches, current),
            "is_open": current is not None and current.is_open,
            "limit_days": Search.LIMIT_DAYS,
            "warn_days": Search.WARN_DAYS,
        },
    }


def stage_facts(youth):
    """What the wie-vraag says about the youth's stage (settings.YOUTH_STAGE_FACTS), in one query."""
    return [
        search_stage_fact(status, started_on, ended_on)
        for status, started_on, ended_on in Search.objects.filter(youth=youth).values_list(
            "status", "started_on", "ended_on"
        )
    ]


def search_stage_fact(status, started_on, ended_on):
    """The stage fact of one search in that state (also for the scale data, which replays a search's life)."""
    if status == Search.Status.OPEN:
        return StageFact(Youth.Stage.SEARCHING, started_on, ongoing=True)
    if status == Search.Status.FOUND:
        return StageFact(Youth.Stage.JIM_FOUND, ended_on or started_on)
    return StageFact(Youth.Stage.SEARCH_STOPPED, ended_on or started_on)
