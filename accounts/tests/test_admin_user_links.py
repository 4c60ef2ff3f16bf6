"""The accounts put the person's own e-mail address beside "log out" on every admin page, through the core's
ADMIN_USER_LINKS (the core's template names no page of the accounts)."""

from django.urls import reverse

from jimcase.tests.html import select


def test_every_admin_page_links_to_the_own_email_address(login, coordinator):
    client = login(coordinator)
    for page in (reverse("admin:index"), reverse("admin:jimcase_user_changelist")):
        response = client.get(page)
        assert response.status_code == 200
        links = select(response, "#user-tools a")
        assert [link.attrs["href"] for link in links][0] == reverse("accounts:email_change")
        assert links[0].text == "E-mailadres"
