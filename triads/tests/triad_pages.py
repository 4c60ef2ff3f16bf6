"""What the tests of the professional's triad pages share: the outsiders, the pages, field errors, form tokens."""

import html
import re

from django.urls import reverse
from django.utils import timezone

from triads import rules

OUTSIDERS = ["colleague", "stranger", "jim", "other_jim", "coordinator", "other_coordinator"]
LONG = "x" * 10_000
HTML = '<script>alert("x")</script>'
SIGNED_UNCHANGED = "ondertekend, ongewijzigd"


def professional_urls(triad):
    """Every professional page of a triad, with the method that reaches it."""
    return [
        ("get", reverse("triads:detail", args=[triad.pk])),
        ("get", reverse("triads:agreement_edit", args=[triad.pk])),
        ("get", reverse("triads:agreement_print", args=[triad.pk, 1])),
        ("get", reverse("triads:sign_in_person", args=[triad.pk])),
        ("get", reverse("triads:link_send", args=[triad.pk])),
        ("get", reverse("triads:consent_record", args=[triad.pk])),
        ("get", reverse("triads:jim_invite", args=[triad.pk])),
        ("post", reverse("triads:start", args=[triad.pk])),
        ("get", reverse("triads:create", args=[triad.youth_id, triad.search_id])),
    ]


def field_error(response, field):
    """The error text crispy renders beside `field` ('' when there is none)."""
    body = response.content.decode()
    found = re.findall(rf'<[^>]+id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', body, re.S)
    return html.unescape(" ".join(found))


def token(response):
    match = re.search(r'name="submission_token" value="([0-9a-f-]+)"', response.content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def agreement_data(agreement, **overrides):
    data = {name: getattr(agreement, name) for name in rules.AGREEMENT_FIELDS}
    data["include_parents"] = "on" if agreement.include_parents else ""
    data["edit_version"] = agreement.edit_version
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def sign_url(triad):
    return reverse("triads:sign_in_person", args=[triad.pk])


def link_url(triad):
    return reverse("triads:link_send", args=[triad.pk])


def consent_url(triad):
    return reverse("triads:consent_record", args=[triad.pk])


def consent_data(who, **overrides):
    data = {
        "parent": who.pk,
        "decision": "given",
        "decided_on": timezone.localdate().isoformat(),
        "method": "writing",
        "note": "",
    }
    data.update(overrides)
    return data
