"""Every mail of outbox.mails renders, in Dutch and in English, from its templates; none is written elsewhere."""

import ast
import datetime
import pathlib
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from jimcase.selectors import professionals_of
from outbox import mails
from outbox.models import OutgoingMail
from outbox.text import absolute_url, day, moment
from triads.models import Closure, Party, Triad
from triads.tests.conftest import found_search, parents, started_triad, triad  # noqa: F401 — the cast's triad

ROOT = pathlib.Path(__file__).resolve().parents[2]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TEMPLATES = ROOT / "templates" / "mail"


def samples(running, lead, colleague):
    """A context for every registered mail, from the cast's running triad (the demo's people and youth)."""
    youth, jim, user = running.youth, running.jim_profile, running.jim_profile.user
    detail = absolute_url("triads:detail", running.pk)
    reset = absolute_url("password_reset_confirm", uidb64="MQ", token="abc-123")
    closure = Closure(triad=running, ended_on=timezone.localdate(), continues_informally=True)
    in_two_days = timezone.now() + datetime.timedelta(days=2)
    return {
        "password_link": {"user": colleague, "by": lead, "url": reset},
        "password_reset": {"user": lead, "url": reset},
        "email_change_confirm": {
            "user": lead,
            "new_email": "nieuw@example.org",
            "url": absolute_url("accounts:email_change_confirm", "token"),
            "days": 3,
        },
        "email_change_notice": {"user": lead, "new_email": "nieuw@example.org"},
        "email_changed_notice": {"user": lead, "by": colleague},
        "jim_welcome": {
            "jim": jim,
            "user": user,
            "by": lead,
            "url": reset,
            "guide_url": absolute_url("triads:jim_welcome"),
        },
        "jim_password_link": {"jim": jim, "user": user, "by": lead, "url": reset},
        "jim_new_triad": {
            "jim": jim,
            "user": user,
            "by": lead,
            "youth": youth,
            "url": absolute_url("triads:mine"),
        },
        "jim_farewell": {"jim": jim, "youth": youth, "closure": closure, "fallback": running.fallback},
        "signing_link": {
            "agreement": running.current_agreement,
            "until": in_two_days,
            "url": absolute_url("triads:sign_link", "token"),
            "by": lead,
        },
        "fallback_request": {"jim": jim, "youth": youth, "urgent": True, "url": detail},
        "fallback_handover": {"old": colleague, "jim": jim, "youth": youth, "url": detail},
        "consent_withdrawn": {"youth": youth, "url": detail},
        "search_open": {"youth": youth, "days": 61, "url": absolute_url("mentors:search", youth.pk)},
        "check_in_overdue": {"check_in": running.check_ins.first(), "youth": youth, "url": detail},
        "trial_ending": {"youth": youth, "ends_on": running.trial_ends_on, "url": detail},
        "fallback_open": {"youth": youth, "asked_at": timezone.now(), "url": detail},
        "link_expiring": {
            "youth": youth,
            "party": Party.PARENT.label,
            "expires_at": in_two_days,
            "url": detail,
        },
    }


def test_the_registry_and_the_templates_name_the_same_mails():
    on_disk = {path.name.removesuffix("_subject.txt") for path in TEMPLATES.glob("*_subject.txt")}
    bodies = {path.name.removesuffix("_body.txt") for path in TEMPLATES.glob("*_body.txt")}
    assert on_disk == bodies == set(mails.MAILS)


def assert_every_mail_renders(contexts, language, youth):
    """Each mail: a one-line subject, a body, nothing left unrendered, links from SITE_URL, no last name."""
    assert set(contexts) == set(mails.MAILS), "a new mail needs a sample here"
    link = re.compile(r"https?://\S+")
    with translation.override(language):
        for name, context in contexts.items():
            subject, body = mails.render(name, **context)
            text = subject + "\n" + body
            assert subject and "\n" not in subject and len(subject) <= 250, name
            assert body.strip(), name
            assert not re.search(r"\{\{|\{%|%\(|\)s\b", text), (name, text)
            for url in link.findall(text):
                assert url.startswith(settings.SITE_URL + "/"), (name, url)
            if "url" in context:
                assert context["url"] in body, name
            # First name and case number only: never the youth's last name.
            assert youth.last_name not in text, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_mail_renders_in_both_languages(language, started_triad, lead, colleague):  # noqa: F811
    assert_every_mail_renders(samples(started_triad, lead, colleague), language, started_triad.youth)


def test_every_mail_renders_with_the_demo_data_in_both_languages(db):
    call_command("seed_demo", verbosity=0)
    running = (
        Triad.objects.running()
        .filter(jim_profile__user__isnull=False, check_ins__isnull=False)
        .distinct()
        .first()
    )
    lead = running.youth.current_lead
    colleague = professionals_of(lead.organisation_id).exclude(pk=lead.pk)[0]
    contexts = samples(running, lead, colleague)
    for language in LANGUAGES:
        assert_every_mail_renders(contexts, language, running.youth)
    with translation.override("nl-be"):
        subject = mails.render("jim_new_triad", **contexts["jim_new_triad"])[0]
    assert subject == f"JIM: je bent nu ook de JIM van {running.youth.first_name}"


def test_a_jim_reads_dutch_in_plain_words(started_triad, lead, colleague):  # noqa: F811
    contexts = samples(started_triad, lead, colleague)
    with translation.override("nl-be"):
        subject, body = mails.render("jim_new_triad", **contexts["jim_new_triad"])
        assert subject == "JIM: je bent nu ook de JIM van Lotte"
        assert "Je bent nu ook de JIM van Lotte." in body
        with translation.override("en"):
            english = mails.render("jim_new_triad", **contexts["jim_new_triad"])[1]
        assert "You are now also the JIM of Lotte." in english
        for name, mail in mails.MAILS.items():
            if mail.plain_language:
                body = mails.render(name, **contexts[name])[1]
                sentences = [s for s in re.split(r"(?<=[.:?!])\s+", body) if s.strip()]
                long = [s for s in sentences if len(s.split()) > 20 and "://" not in s]
                assert long == [], (name, long)


def test_a_mail_is_plain_text_never_html_escaped(started_triad, lead, colleague):  # noqa: F811
    jim = started_triad.jim_profile
    jim.name = "Wilma O'Brien & <Zoon>"
    context = samples(started_triad, lead, colleague)["jim_farewell"] | {"jim": jim}
    body = mails.render("jim_farewell", **context)[1]
    assert "Wilma O'Brien & <Zoon>" in body and "&amp;" not in body and "&#x27;" not in body


def test_a_mail_with_a_missing_or_unknown_context_is_refused(started_triad, lead, colleague):  # noqa: F811
    context = samples(started_triad, lead, colleague)["consent_withdrawn"]
    with pytest.raises(TypeError, match="missing"):
        mails.send("consent_withdrawn", to="lead@example.org", youth=context["youth"])
    with pytest.raises(TypeError, match="unexpected"):
        mails.send("consent_withdrawn", to="lead@example.org", extra=1, **context)
    assert not OutgoingMail.objects.exists()


def test_send_queues_the_rendered_mail_under_its_kind(started_triad, lead, colleague):  # noqa: F811
    context = samples(started_triad, lead, colleague)["trial_ending"]
    with translation.override("nl-be"):
        (queued,) = mails.send("trial_ending", to="lead@example.org", about=started_triad, **context)
    assert (queued.kind, queued.topic, queued.to) == (
        "reminder",
        f"triad:{started_triad.pk}",
        "lead@example.org",
    )
    assert (
        queued.subject
        == f"JIM: de proefperiode van Lotte ({started_triad.youth.case_number}) eindigt op {day(started_triad.trial_ends_on)}"
    )
    assert context["url"] in queued.body


def test_one_day_and_moment_format_and_links_from_site_url(settings):
    settings.SITE_URL = "https://jim.example.org"
    when = timezone.make_aware(datetime.datetime(2026, 11, 28, 14, 5))
    for language in LANGUAGES:
        with translation.override(language):
            assert day(datetime.date(2026, 11, 28)) == "28-11-2026"
            assert day(when) == "28-11-2026"
            assert moment(when) == "28-11-2026 14:05"
    assert absolute_url("triads:detail", 12) == "https://jim.example.org/triads/12/"


def _queue_calls(path):
    """Lines in `path` that call the outbox's queue() (by any name it was imported under)."""
    tree = ast.parse(path.read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == "queue")
            or (isinstance(node.func, ast.Name) and node.func.id == "queue")
        )
    ]


def test_no_code_outside_the_outbox_queues_a_mail_itself():
    """Every mail goes through outbox.mails (its templates): a new `queue(` call elsewhere fails here."""
    found = []
    apps = sorted(init.parent.name for init in ROOT.glob("*/__init__.py") if init.parent.name != "outbox")
    assert {"jimcase", "mentors", "triads", "reports"} <= set(apps)
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            found += [f"{relative}:{line}" for line in _queue_calls(path)]
            if "outbox.services" in path.read_text() or "from outbox import services" in path.read_text():
                found.append(f"{relative}: imports outbox.services")
    assert found == []


def test_the_source_check_sees_a_queue_call(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "from outbox import services as o\n\ndef f():\n    o.queue(kind='x', to='a', subject='s', body='b')\n"
    )
    assert _queue_calls(sneaky) == [4]
