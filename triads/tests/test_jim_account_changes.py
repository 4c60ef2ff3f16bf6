"""A JIM's account: the address it was invited with and every password link are on the JIM's admin page
(issue 20, hole 2: every change of e-mail and every link sent is an AccountChange row)."""

from accounts.models import AccountChange
from triads import services
from triads.tests.conftest import make_found_search


def rows(user):
    return [(c.what, c.before, c.after, c.by) for c in AccountChange.objects.filter(user=user).order_by("pk")]


def test_a_jim_invitation_and_each_new_password_link_are_recorded(youth, lead):
    search = make_found_search(youth, lead, name="Karel Buur", email="karel@example.org")
    triad = services.triad_create(search=search, by=lead)
    account = services.jim_invite(jim_profile=triad.jim_profile, email="karel@example.org", by=lead)
    assert rows(account) == [
        (AccountChange.What.EMAIL, "", "karel@example.org", lead),
        (AccountChange.What.PASSWORD_LINK, "", "karel@example.org", lead),
    ]
    triad.jim_profile.refresh_from_db()
    services.jim_password_link_send(jim_profile=triad.jim_profile, by=lead)
    assert rows(account)[-1] == (AccountChange.What.PASSWORD_LINK, "", "karel@example.org", lead)
    assert len(rows(account)) == 3
