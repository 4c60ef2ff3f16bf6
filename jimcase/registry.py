"""What each app adds to the core's pages, read from settings: the core imports no app above it.

An app plugs in by naming, in `config/settings.py`:
- `ROLE_HOME_PAGES`: (user property, URL name, label) triples; a user lands on the first whose property
  is true, and the menu links to each of them;
- `ACCESS_LOG_PAGES`: dicts of page code → label, for the access log on the youth's file;
- `YOUTH_FLAGS`: functions `(youth_ids, today) → {youth_id: [YouthFlag, …]}`, one query each, whose
  badges show on the caseload and the youth's file;
- `CASELOAD_NOTICES`: functions `(youths, today) → [CaseloadNotice, …]`, one query each over the
  professional's whole caseload (`youths`, a queryset), shown at the top of the caseload;
- `YOUTH_FILE_SECTIONS`: functions `(request, youth) → {"template", "context"}`, the file's sections;
- `ACCESS_LOG_YOUTH_OF`: functions `(resolver_match) → youth id or None` telling which youth a
  page of the app is about, so the access log is written in one place (the middleware);
- `YOUTH_STAGE_FACTS`: functions `(youth) → [stages.StageFact, …]`, what the app knows that decides the
  youth's stage (an open search, a running triad, …); `services.youth_stage_refresh` derives the stage;
- `ASSIGNMENT_ENDED`: services `(*, assignment, by)` run inside the transaction that ends a
  professional's assignment (e.g. the triad names a new fallback professional);
- `CONSENT_DECIDERS_CHANGED`: services `(*, youth, by)` run inside the transaction that records why
  nobody can decide on a minor's consent (e.g. a signed triad waiting only for that starts its trial);
- `CONSENT_STATE_LINES`: functions `(youth) → [str, …]`, what the app records about the youth's parental
  consent (e.g. each parent's decision for the triad), shown beside "the parents agree" in the screening;
- `ACCOUNT_LINK_REFUSALS`: functions `(user) → str`, why no password link may go to this account now
  ("" when the app has no objection; e.g. an ex-JIM whose triads all ended);
- `SEARCH_FOUND_NEXT`: the URL name (args: youth id, search id) of the step after a JIM is found (the triad);
- `ADMIN_USER_LINKS`: (URL name, label) pairs, links beside "log out" at the top of every admin page
  (e.g. the person's own e-mail address);
- `ADMIN_SECTIONS`: functions `(site) → AdminSection`, pages an app adds to the admin under
  `admin/<slug>/` with their entry on the admin's index and sidebar (e.g. the reports).
"""

import functools
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string


class YouthFlag(NamedTuple):
    """A badge on a youth: `short` on the caseload, `long` on the file; `css` its classes."""

    short: str
    long: str
    css: str = "text-bg-warning"


class CaseloadNotice(NamedTuple):
    """A line at the top of the caseload: `text`, then `links` ((label, url), …); `css` its classes."""

    text: str
    links: tuple = ()
    css: str = "alert-warning"


def caseload_notices(youths, today):
    """What the apps say at the top of a professional's caseload about all of its `youths` (a queryset)."""
    notices = []
    for path in settings.CASELOAD_NOTICES:
        notices.extend(import_string(path)(youths, today))
    return notices


def role_pages(user):
    """(URL name, label) of the start page of each of this user's roles, in the order of ROLE_HOME_PAGES."""
    return [
        (url_name, label)
        for attribute, url_name, label in settings.ROLE_HOME_PAGES
        if getattr(user, attribute, False)
    ]


def home_url_name(user):
    """The URL name of the start page for this user's role, or None when they have no role."""
    pages = role_pages(user)
    return pages[0][0] if pages else None


@functools.cache
def _access_log_labels():
    labels = {}
    for path in settings.ACCESS_LOG_PAGES:
        labels.update(import_string(path))
    return labels


def access_log_label(page):
    """How a page code in the access log reads on the youth's file."""
    return _access_log_labels().get(page, page)


def youth_flags(youths, today):
    """Attach `flags` (a list of YouthFlag) to each youth, one query per registered function."""
    youths = list(youths)
    flags = {youth.pk: [] for youth in youths}
    for path in settings.YOUTH_FLAGS:
        for youth_id, found in import_string(path)(list(flags), today).items():
            flags[youth_id].extend(found)
    for youth in youths:
        youth.flags = flags[youth.pk]
    return youths


def youth_file_sections(request, youth):
    """The rendered sections the apps add to the youth's file, in the order of the setting."""
    sections = []
    for path in settings.YOUTH_FILE_SECTIONS:
        section = import_string(path)(request, youth)
        sections.append(
            render_to_string(section["template"], {"youth": youth, **section["context"]}, request)
        )
    return sections


def youth_stage_facts(youth):
    """Every app's facts about the youth's stage (stages.StageFact), in the order of the setting."""
    facts = []
    for path in settings.YOUTH_STAGE_FACTS:
        facts.extend(import_string(path)(youth))
    return facts


def assignment_ended_hooks():
    """The services the apps run when a professional's assignment on a youth ends."""
    return [import_string(path) for path in settings.ASSIGNMENT_ENDED]


def consent_deciders_changed_hooks():
    """The services the apps run when the record of who can decide on a youth's consent changes."""
    return [import_string(path) for path in settings.CONSENT_DECIDERS_CHANGED]


def consent_state_lines(youth):
    """What the apps record about the youth's parental consent, as lines of text, in the setting's order."""
    lines = []
    for path in settings.CONSENT_STATE_LINES:
        lines.extend(import_string(path)(youth))
    return lines


def account_link_refusal(user):
    """The first reason an app gives why no password link may go to `user` now, or ""."""
    for path in settings.ACCOUNT_LINK_REFUSALS:
        if reason := import_string(path)(user):
            return reason
    return ""


def youth_of(match):
    """The id of the youth a resolved page is about, asked of each app in turn; None for other pages."""
    for path in settings.ACCESS_LOG_YOUTH_OF:
        youth_id = import_string(path)(match)
        if youth_id is not None:
            return youth_id
    return None


class AdminSection(NamedTuple):
    """Pages an app adds to the admin: `urls` under `admin/<slug>/`; on the admin's index, `label` links to
    the URL name `index` and lists `links` (label, URL name).

    The views in `urls` are wrapped by the site's `admin_view` by the app; `may_see(request)` decides
    whether the section shows on the index.
    """

    slug: str
    label: str
    index: str
    urls: list
    links: list
    may_see: Callable


def admin_user_links():
    """(url, label) of each link the apps put beside "log out" on the admin's pages (ADMIN_USER_LINKS)."""
    return [(reverse(url_name), label) for url_name, label in settings.ADMIN_USER_LINKS]


def admin_sections(site):
    """The sections the apps add to the admin site `site`, in the order of the setting."""
    return [import_string(path)(site) for path in settings.ADMIN_SECTIONS]


def search_found_next_url(search):
    """Where the wie-vraag goes on once it found a JIM (the app that takes over registers its page)."""
    return reverse(settings.SEARCH_FOUND_NEXT, args=[search.youth_id, search.pk])
