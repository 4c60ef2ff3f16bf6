"""The pages as the users see them: no English in the Dutch interface, no stored Dutch in the English one.

Each role walks its pages of the demo data (every link it can follow, the admin's add pages included)
and every visible text and every name a screen reader reads (alt, title, aria-label, placeholder) is
checked. The catalogues themselves are checked in jimcase/tests/test_language.py.
"""

import html
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from jimcase.demo import DEMO_PASSWORD
from jimcase.models import StageChange, User
from jimcase.tests.second_factor import pass_second_factor_if_required
from jimcase.tests.test_language import ENGLISH
from triads.models import TriadStatusChange

#: Texts that were English in the Dutch admin (Django's catalogue lacks them, or a label was missing).
ENGLISH_IN_THE_DUTCH_ADMIN = [
    "Model name",
    "Add link",
    "Change or view list link",
    "After you’ve created a user",
    "Triad:",
    "Created at",
    'alt="Search"',
    'alt="True"',
    'alt="False"',
    'alt="None"',
]
MARKUP = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
SPOKEN = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"')
#: Where a walk does not go: what changes or leaves, exports, and pages that only repeat others.
SKIP = re.compile(r"logout|delete|export|\.csv|\.xlsx|/history/|set_language|jsi18n|password|/lead/")


@pytest.fixture
def seeded(db, settings):
    settings.DEMO_SEEDERS = ["jimcase.demo.seed", "mentors.demo.seed", "triads.demo.seed"]
    call_command("seed_demo")


def log_in(client, username, language=None):
    user = User.objects.get(username=username)
    assert client.login(username=username, password=DEMO_PASSWORD)
    pass_second_factor_if_required(client, user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def walk(client, start, limit=150):
    """{url: html} for every page reachable from `start` by plain links (no query strings)."""
    seen, todo, pages = set(), [start], {}
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        body = response.content.decode()
        pages[url] = body
        todo += [
            html.unescape(href)
            for href in re.findall(r'href="(/[^"#?]*)"', body)
            if not href.startswith(settings.STATIC_URL)
        ]
    return pages


def words_of(body):
    """What a reader sees and what a screen reader says on the page."""
    return html.unescape(MARKUP.sub(" ", body) + " " + " ".join(SPOKEN.findall(body)))


@pytest.mark.parametrize(
    ("username", "start", "at_least"),
    [("coord.dana", "/admin/", 50), ("hv.anna", "/", 60), ("jim.wilma", "/", 4)],
)
def test_no_english_on_the_dutch_pages(seeded, client, username, start, at_least):
    log_in(client, username)
    pages = walk(client, start)
    if username == "coord.dana":
        # Add pages are linked from the index; the consent override's lists triads ("Triad:" before).
        assert {"/admin/jimcase/user/add/", "/admin/triads/consentoverride/add/"} <= set(pages)
    assert len(pages) >= at_least
    found = {}
    for url, body in pages.items():
        english = [text for text in ENGLISH_IN_THE_DUTCH_ADMIN if text in body]
        english += sorted({match.group(0) for match in ENGLISH.finditer(words_of(body))})
        if english:
            found[url] = english
    assert not found


def stored_reasons(language):
    """The demo's recorded reasons (stage and triad histories), as they read in `language`."""
    rows = [*StageChange.objects.all(), *TriadStatusChange.objects.all()]
    with translation.override(language):
        return {str(row.why_text) for row in rows if row.why}


def test_no_stored_dutch_reason_on_the_english_pages(seeded, client):
    # Ines's ended triad has the full history: chosen, signed, continued, goal reached.
    dutch = stored_reasons("nl-be") - stored_reasons("en")
    assert {"JIM gekozen", "doel bereikt", "Triade: proefperiode"} <= dutch
    pages = walk(log_in(client, "hv.anna", "en"), "/")
    shown = " ".join(words_of(body) for body in pages.values())
    assert "JIM chosen" in shown and "goal reached" in shown
    # The youth's stage history is on the youth's admin page.
    pages = walk(log_in(client, "coord.dana", "en"), reverse("admin:jimcase_youth_changelist"), limit=40)
    assert sum("/admin/jimcase/youth/" in url and url.endswith("/change/") for url in pages) >= 3
    shown += " ".join(words_of(body) for body in pages.values())
    assert "Triad: trial period" in shown and "Wie-vraag started" in shown
    assert not [text for text in dutch if text in shown]


def test_the_same_history_reads_dutch_on_the_dutch_pages(seeded, client):
    pages = walk(log_in(client, "hv.anna"), "/")
    shown = " ".join(words_of(body) for body in pages.values())
    assert "JIM gekozen" in shown and "doel bereikt" in shown
    assert "JIM chosen" not in shown and "goal reached" not in shown
