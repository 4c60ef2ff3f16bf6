"""The mails a test's actions sent.

Mail is queued in the outbox inside the transaction of what caused it and goes out after commit; a test
runs inside one transaction that never commits, so `sent()` delivers the queue first, as the commit or
`send_outbox` would, and returns Django's test mailbox.
"""

import smtplib

from django.core import mail

from outbox import services as outbox


def sent():
    outbox.deliver_due()
    return mail.outbox


def smtp_connections(monkeypatch):
    """Record every SMTP connection opened from now on (each then fails); return the list of (host, port)."""
    opened = []

    class RecordingSMTP:
        def __init__(self, host="", port=0, *args, **kwargs):
            opened.append((host, port))
            raise ConnectionRefusedError("an SMTP connection was opened (recorded by the test)")

    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    monkeypatch.setattr(smtplib, "SMTP_SSL", RecordingSMTP)
    return opened
