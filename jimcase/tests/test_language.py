"""No English left in the Dutch interface, "je" throughout, and one word for each thing.

`make check-messages` checks that every msgid the code uses has a Dutch entry in our catalogue. These
tests look further: at what the compiled catalogues say (no English copied or left in a translation,
none of the words the practice does not use), at every string the templates translate (the Django
admin's own too, which our catalogue does not list), and at Django's texts that JIM words its own way.
The rendered pages, in both languages, are checked in triads/tests/test_language_pages.py.
"""

import pathlib
import re

import django
import polib
import pytest
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.i18n import JavaScriptCatalog

from jimcase.tests.html import without_tokens

LOCALE = pathlib.Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"
CATALOGUES = [LOCALE / "django.mo", LOCALE / "djangojs.mo"]
TEMPLATE_ROOTS = [
    pathlib.Path(settings.BASE_DIR) / "templates",
    pathlib.Path(django.__file__).parent / "contrib" / "admin" / "templates",
]

#: Words that are the same in Dutch (names of things the users say in English or as JIM does).
SAME_IN_DUTCH = {
    "%(name)s: %(status)s.",
    "2",
    "4",
    "Caseload",
    "Code",
    "Filters",
    "JIM",
    "Menu",
    "Screening",
    "Status",
    "Wie-vraag",
    "account",
    "e-mail",
    "school",  # a topic of "who for what"
    "status",
    "team",
    "teams",
    "wie-vraag",
}
#: English words that have no place in a Dutch sentence ("open", "link", "team" and "status" are Dutch too).
ENGLISH = re.compile(
    r"(?<![\w-])(the|and|you|your|with|please|click|select|choose|created|after|search|none|true|false|"
    r"yes|this|that|from|for|who|what|when|which|save|delete|change|view|show|hide|check-ins?|name|page|"
    r"users?|groups?|list|add|new|here|there)(?![\w-])",
    re.I,
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w+\}|<[^>]+>")
#: What the Dutch interface no longer says: the peer network's old names ("lotgenoten" are fellow
#: sufferers), other plurals of JIM than "JIM's", the formal "u", and a wrong article.
OLD_TERMS = re.compile(
    r"lotgenot|intervisies? van JIM|netwerk van JIM|\bJIMs\b|JIM’s|\b[Uu]w?\b|\bde opvolgmoment",
)
PEER_NETWORK = "JIM-netwerk"


def dutch_texts(path):
    """(msgid, Dutch text) for every translation in a compiled catalogue."""
    for entry in polib.mofile(str(path)):
        if not entry.msgid:
            continue  # the header
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            yield entry.msgid, text


def template_msgids(text):
    """The msgids a template translates, as makemessages writes them (plural and context forms left out)."""
    simple = (
        r"""\{%\s*(?:translate|trans)\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')(\s+as\s+\w+)?\s*%\}"""
    )
    for match in re.finditer(simple, text):
        yield match.group(1) if match.group(1) is not None else match.group(2)
    block = r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}"
    for match in re.finditer(block, text, re.S):
        options, body = match.groups()
        if "count" in options or "context" in options or "{% plural" in body:
            continue
        if "trimmed" in options:
            body = " ".join(line.strip() for line in body.strip().splitlines())
        yield re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body)


def templates():
    for root in TEMPLATE_ROOTS:
        yield from sorted(root.rglob("*.html"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_the_compiled_dutch_catalogue_holds_no_english(path):
    copied = [msgid for msgid, text in dutch_texts(path) if text == msgid and msgid not in SAME_IN_DUTCH]
    english = [
        (msgid, text) for msgid, text in dutch_texts(path) if ENGLISH.search(PLACEHOLDER.sub(" ", text))
    ]
    assert not copied, f"translations that are their English msgid: {copied}"
    assert not english, f"translations with English words in them: {english}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_the_compiled_dutch_catalogue_says_je_and_has_one_word_for_each_thing(path):
    old = [(msgid, text) for msgid, text in dutch_texts(path) if OLD_TERMS.search(text)]
    assert not old


def test_the_peer_network_has_one_dutch_name():
    texts = [text for _msgid, text in dutch_texts(LOCALE / "django.mo")]
    assert sum(PEER_NETWORK in text for text in texts) >= 10
    assert not [text for text in texts if "netwerk" in text.lower() and "peer" in text.lower()]


def test_no_template_uses_an_old_name_of_the_peer_network():
    old = re.compile(r"lotgenot|intervisies? van JIM|netwerk van JIM|network of JIMs", re.I)
    paths = sorted((pathlib.Path(settings.BASE_DIR) / "templates").rglob("*.*"))
    assert paths
    assert not [path.name for path in paths if old.search(path.read_text())]


def test_the_template_scanner_finds_simple_and_block_strings():
    found = list(
        template_msgids(
            '{% translate "Model name" %} {% blocktranslate with n=x %}Hi {{ n }}{% endblocktranslate %}'
        )
    )
    assert found == ["Model name", "Hi %(n)s"]


@pytest.mark.parametrize("path", list(templates()), ids=lambda p: p.as_posix().rpartition("templates/")[2])
def test_every_string_a_template_translates_comes_out_dutch(path):
    # Django's own admin templates are included: their strings come from Django's catalogue, which
    # lacks some ("Model name", "After you've created a user …"), or from ours where we word them.
    with translation.override("nl-be"):
        english = [
            msgid
            for msgid in template_msgids(path.read_text())
            if msgid not in SAME_IN_DUTCH and translation.gettext(msgid) == msgid
        ]
    assert not english


def test_the_password_rules_say_je():
    with translation.override("nl-be"):
        texts = [str(text) for text in password_validators_help_texts()]
    assert len(texts) == len(settings.AUTH_PASSWORD_VALIDATORS)
    assert not [text for text in texts if re.search(r"\b[Uu]w?\b", text)]
    assert "Je wachtwoord moet minstens 10 tekens lang zijn." in texts


def test_the_admin_javascript_strings_are_dutch_and_say_je():
    request = RequestFactory().get("/admin/jsi18n/")
    with translation.override("nl-be"):
        body = without_tokens(JavaScriptCatalog.as_view(packages=["django.contrib.admin"])(request))
    # The group picker's help ("Choose groepen by selecting them …" before), and a formal one reworded.
    assert ': "Kies %s door ze te selecteren' in body
    assert ': "Je hebt een actie gekozen' in body
    assert ': "U hebt' not in body


def test_the_csrf_failure_page_says_je(db):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {})
    body = without_tokens(response)
    assert response.status_code == 403
    assert "Je ziet deze melding omdat deze website een CSRF-cookie vraagt" in body
    assert "U ziet" not in body
