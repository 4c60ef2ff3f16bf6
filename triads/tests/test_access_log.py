"""Every page and action on a youth's data writes one access-log row, in one place; the log cannot change."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from jimcase.models import AccessLog
from triads.tests.triad_pages import token


def rows(user):
    """What `user` left in the access log through pages (the registration by a service aside)."""
    return list(AccessLog.objects.filter(user=user).exclude(page="register").values_list("page", "action"))


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("triads:check_in_add", "triads:check_in_add"),
        ("triads:evaluation_add", "triads:evaluation_add"),
        ("triads:close", "triads:close"),
        ("triads:note_share", "triads:note_share"),
    ],
)
def test_the_follow_up_pages_are_logged(login, started_triad, lead, name, page):
    login(lead).get(reverse(name, args=[started_triad.pk]))
    assert rows(lead) == [(page, AccessLog.Action.VIEW)]


def test_an_action_is_logged_as_a_change(login, started_triad, lead):
    client = login(lead)
    url = reverse("triads:check_in_add", args=[started_triad.pk])
    form = client.get(url)
    day = (timezone.localdate() + timezone.timedelta(days=5)).isoformat()
    client.post(url, {"due_on": day, "kind": "check_in", "submission_token": token(form)})
    assert ("triads:check_in_add", AccessLog.Action.CHANGE) in rows(lead)
    assert {row.youth_id for row in AccessLog.objects.filter(user=lead)} == {started_triad.youth_id}


def test_the_jims_pages_are_logged_for_the_jim(login, started_triad, jim):
    login(jim).get(reverse("triads:jim_triad", args=[started_triad.pk]))
    assert rows(jim) == [("triads:jim_triad", AccessLog.Action.VIEW)]


@pytest.mark.parametrize("who", ["colleague", "stranger", "other_jim", "coordinator"])
def test_a_refused_request_writes_nothing(login, cast, started_triad, who):
    client = login(cast[who])
    client.get(reverse("triads:detail", args=[started_triad.pk]))
    client.post(reverse("triads:close", args=[started_triad.pk]), {"reason": "other", "after_plan": "x"})
    assert rows(cast[who]) == []


def test_registering_a_youth_is_logged(youth, lead):
    assert AccessLog.objects.filter(youth=youth, user=lead, page="register", action="change").exists()


def test_the_access_log_cannot_be_changed_or_deleted(youth, lead):
    row = AccessLog.objects.filter(youth=youth).first()
    row.page = "iets anders"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(youth=youth).update(page="weg")
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(youth=youth).delete()
    assert AccessLog.objects.filter(youth=youth, page="register").exists()
    assert AccessLog not in admin.site._registry
