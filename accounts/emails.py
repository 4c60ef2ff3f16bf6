"""The mails about a person's own e-mail address: who receives which (the texts are in outbox.mails).

Each is queued with the person as its topic, so their admin page shows one that could not be sent.
"""

from outbox import mails


def _queue(name, *, user, to, **context):
    return mails.send(name, to=to, about=user, user=user, **context)


def email_change_confirm(*, user, new_email, url, days):
    """To the new address: the link that makes it the account's address (the only mail with the link)."""
    return _queue("email_change_confirm", user=user, to=new_email, new_email=new_email, url=url, days=days)


def email_change_notice(*, user, new_email):
    """To the current address: someone asked to move this account to `new_email` (no link in it)."""
    return _queue("email_change_notice", user=user, to=user.email, new_email=new_email)


def email_changed_notice(*, user, old_email, by):
    """To the old address: an administrator changed this account's address."""
    return _queue("email_changed_notice", user=user, to=old_email, by=by)
