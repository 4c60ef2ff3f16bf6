"""Every e-mail the product sends: its name, who reads it, what its templates need. The one list.

Each mail is two plain-text templates, `templates/mail/<name>_subject.txt` and `<name>_body.txt`, written
in English with `{% translate %}`/`{% blocktranslate %}` and translated in locale/nl. Mails to a JIM, a
parent or a youth are in plain (B1) Dutch: short sentences, no care jargon, the youth's first name only.
A sender calls `send(name, to=..., about=..., **context)` inside its own transaction: the mail is
rendered in the active language (the reader's page language in a request; Dutch from cron) and queued
in the outbox with what caused it, or not at all. Links are absolute, from `outbox.text.absolute_url`;
days and moments are written by the `day` and `moment` filters (`{% load mail %}`).

No code outside this app calls `outbox.services.queue`: a test reads the source and fails on a new call.
"""

import functools
import re
from dataclasses import dataclass

from django.template import Context, Engine

from . import services

#: Who reads a mail; the three last ones read plain (B1) Dutch.
PROFESSIONAL = "professional"
ACCOUNT = "anyone with an account (a professional or a JIM)"
JIM = "a JIM"
SIGNER = "whoever signs: the JIM, a parent or the youth"


@dataclass(frozen=True)
class Mail:
    name: str
    reader: str
    #: The context the templates use; `send` refuses a mail with anything missing or extra.
    needs: tuple
    #: What the outbox records as the mail's kind (e.g. every reminder is "reminder"); the name by default.
    kind: str = ""
    #: What the mail is for, in a few words.
    purpose: str = ""

    @property
    def outbox_kind(self):
        return self.kind or self.name

    @property
    def plain_language(self):
        return self.reader != PROFESSIONAL


MAILS = {
    mail.name: mail
    for mail in [
        # Accounts.
        Mail("password_link", ACCOUNT, ("user", "by", "url"), purpose="an invitation: choose a password"),
        Mail("password_reset", ACCOUNT, ("user", "url"), purpose="'forgot password' on the login page"),
        Mail(
            "email_change_confirm",
            ACCOUNT,
            ("user", "new_email", "url", "days"),
            purpose="to the new address: the link that makes it the account's address",
        ),
        Mail(
            "email_change_notice",
            ACCOUNT,
            ("user", "new_email"),
            purpose="to the current address: a new address was asked (no link)",
        ),
        Mail(
            "email_changed_notice",
            ACCOUNT,
            ("user", "by"),
            purpose="to the old address: an administrator changed it",
        ),
        # To a JIM.
        Mail(
            "jim_welcome",
            JIM,
            ("jim", "user", "by", "url", "guide_url"),
            purpose="the invitation of a new JIM",
        ),
        Mail("jim_password_link", JIM, ("jim", "user", "by", "url"), purpose="a new password link"),
        Mail(
            "jim_new_triad",
            JIM,
            ("jim", "user", "by", "youth", "url"),
            purpose="a JIM with an account becomes the JIM of another youth too",
        ),
        Mail(
            "jim_farewell",
            JIM,
            ("jim", "youth", "closure", "fallback"),
            purpose="the triad ended: thank you, and whom to call",
        ),
        Mail(
            "signing_link",
            SIGNER,
            ("agreement", "until", "url", "by"),
            purpose="a personal link to read and sign the agreement",
        ),
        # To a professional.
        Mail(
            "fallback_request",
            PROFESSIONAL,
            ("jim", "youth", "urgent", "url"),
            purpose="'denk even mee': the JIM asks the fallback professional to think along",
        ),
        Mail(
            "fallback_handover",
            PROFESSIONAL,
            ("old", "jim", "youth", "url"),
            purpose="the fallback professional left the file: the lead takes over",
        ),
        Mail(
            "consent_withdrawn",
            PROFESSIONAL,
            ("youth", "url"),
            purpose="a parent withdrew consent for a running triad",
        ),
        # Reminders (manage.py send_reminders), to a professional.
        Mail(
            "search_open",
            PROFESSIONAL,
            ("youth", "days", "url"),
            kind="reminder",
            purpose="a wie-vraag open for 60 days, and past 90",
        ),
        Mail(
            "check_in_overdue",
            PROFESSIONAL,
            ("check_in", "youth", "url"),
            kind="reminder",
            purpose="a planned moment has not taken place",
        ),
        Mail(
            "trial_ending",
            PROFESSIONAL,
            ("youth", "ends_on", "url"),
            kind="reminder",
            purpose="the trial ends within a week: plan its evaluation",
        ),
        Mail(
            "fallback_open",
            PROFESSIONAL,
            ("youth", "asked_at", "url"),
            kind="reminder",
            purpose="a JIM's 'denk even mee' still waits",
        ),
        Mail(
            "link_expiring",
            PROFESSIONAL,
            ("youth", "party", "expires_at", "url"),
            kind="reminder",
            purpose="an unused signing link expires within two days",
        ),
    ]
}


@functools.cache
def _engine():
    """The project's template engine, without HTML escaping: a mail is plain text (a name like O'Brien)."""
    default = Engine.get_default()
    return Engine(
        dirs=default.dirs,
        app_dirs=default.app_dirs,
        libraries=default.libraries,
        builtins=default.builtins,
        autoescape=False,
        debug=default.debug,
    )


def _check(mail, context):
    missing, extra = set(mail.needs) - set(context), set(context) - set(mail.needs)
    if missing or extra:
        raise TypeError(f"mail {mail.name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}")


def render(name, **context):
    """The subject (one line) and the body of mail `name`, in the active language."""
    mail = MAILS[name]
    _check(mail, context)
    engine = _engine()
    subject = engine.get_template(f"mail/{name}_subject.txt").render(Context(context, autoescape=False))
    body = engine.get_template(f"mail/{name}_body.txt").render(Context(context, autoescape=False))
    subject = " ".join(subject.split())
    # Lines left empty by a template's tags collapse: at most one empty line between paragraphs.
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in body.splitlines())).strip() + "\n"
    return subject, body


def send(name, *, to, about=None, **context):
    """Render mail `name` and queue it to `to` (an address or a list) inside the caller's transaction.

    `about` is the object whose page says when the mail could not be sent. Returns the queued mails.
    """
    subject, body = render(name, **context)
    return services.queue(kind=MAILS[name].outbox_kind, about=about, to=to, subject=subject, body=body)
