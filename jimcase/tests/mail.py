"""The mails a test's actions sent.

Mail is queued in the outbox inside the transaction of what caused it and goes out after commit; a test
runs inside one transaction that never commits, so `sent()` delivers the queue first, as the commit or
`send_outbox` would, and returns Django's test mailbox.
"""

from django.core import mail

from jimcase import outbox


def sent():
    outbox.deliver_due()
    return mail.outbox
