"""Builders for the wie-vraag tests: people in a network, searches and candidates ready to be chosen."""

import datetime
import itertools

from django.utils import timezone

from mentors import services
from mentors.models import CriminalRecordCheck, FactorCheck, NetworkMember, SuccessFactor, Topic

_names = itertools.count(1)


def topic(name="school", organisation=None):
    """A topic ("wie voor wat"); the defaults are seeded by a migration, but a flushed test database lacks them."""
    return Topic.objects.get_or_create(organisation=organisation, name=name)[0]


def member(youth, by, name=None, topics=None, **fields):
    defaults = {
        "name": name or f"Persoon {next(_names)}",
        "relation": NetworkMember.Relation.FAMILY_FRIEND,
        "closeness": NetworkMember.Closeness.CLOSE,
        "date_of_birth": datetime.date(1975, 4, 2),
    }
    defaults.update(fields)
    return services.member_save(member=NetworkMember(youth=youth, **defaults), by=by, topics=topics)


def all_met(**overrides):
    results = {factor.value: (FactorCheck.Result.MET, "") for factor in SuccessFactor}
    results.update(overrides)
    return results


def to_yes(candidate, by):
    for status in ("discussed", "asked", "yes"):
        candidate = services.candidate_status_set(candidate=candidate, to=status, by=by)
    return candidate


def candidate(search, by, name=None, *, status="named", screening=None, record=False, **member_fields):
    """A candidate in `search`; status 'yes' walks the allowed path; screening is a results dict."""
    made = services.candidate_add(
        search=search, member=member(search.youth, by, name, **member_fields), by=by
    )
    if status == "yes":
        made = to_yes(made, by)
    elif status != "named":
        raise ValueError(status)
    if screening is not None:
        services.screening_record(candidate=made, results=screening, by=by)
    if record:
        services.record_check_save(
            candidate=made,
            kind=CriminalRecordCheck.Kind.FLEMISH_MODEL_2,
            issued_on=timezone.localdate() - datetime.timedelta(days=5),
            by=by,
        )
    return made


def ready(search, by, name="Wilma Janssens", **member_fields):
    """A candidate who said yes, screened all met, with a record check: may be chosen."""
    return candidate(search, by, name, status="yes", screening=all_met(), record=True, **member_fields)


def screening_written(candidate, by, results):
    """Write screening rows past the service, as data saved before it refused them (to test the choice)."""
    for factor, (result, justification) in results.items():
        FactorCheck.objects.update_or_create(
            candidate=candidate,
            factor=factor,
            defaults={"result": result, "justification": justification, "checked_by": by},
        )
    return candidate
