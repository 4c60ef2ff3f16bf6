"""Requests no browser sends on purpose get a clear answer, never a server error (issue 11)."""

import pytest
from django.contrib import admin
from django.db import DatabaseError, OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from jimcase.models import Organisation
from jimcase.tests.html import select

# Each body with the one answer it gets. Only a charset other than UTF-8 makes Django refuse to read the
# form (the 400 page); raw bytes are read with replacement characters and a broken multipart body as an
# empty form, so those reach the CSRF check, which refuses them (no token in the body) with its 403 page.
NOT_UTF8 = {
    "a body declared in another charset": (
        "application/x-www-form-urlencoded; charset=latin-1",
        b"a=\xff",
        400,
        'id="bad-request"',
    ),
    "raw bytes that are not UTF-8": (
        "application/x-www-form-urlencoded",
        b"\xff\xfe=1",
        403,
        "CSRF-verificatie mislukt",
    ),
    "a broken multipart body": (
        "multipart/form-data; boundary=x",
        b"--x\r\n\xff\xfe\r\n",
        403,
        "CSRF-verificatie mislukt",
    ),
}


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("kind", sorted(NOT_UTF8))
def test_a_form_body_not_in_utf8_gets_a_dutch_page_on_the_login_page_never_a_500(db, settings, debug, kind):
    # With DEBUG, Django's error page read the body a second time and failed with a 500.
    settings.DEBUG = debug
    content_type, body, status, page = NOT_UTF8[kind]
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get(reverse("login"))  # the CSRF cookie, as a browser has it
    response = client.generic("POST", reverse("login"), body, content_type=content_type)
    assert response.status_code == status
    assert page in response.content.decode()


def test_a_form_in_another_charset_gets_a_dutch_400_for_a_logged_in_user(login, lead, youth, settings):
    settings.DEBUG = True
    client = login(lead)
    client.raise_request_exception = False
    response = client.generic(
        "POST",
        reverse("jimcase:note_add", args=[youth.pk]),
        b"text=\xe9t\xe9&written_on=2026-01-01",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    assert 'id="bad-request"' in response.content.decode()
    assert not youth.notes.exists()


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def down(*args, **kwargs):
        raise DatabaseError("connection refused")

    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", down)
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content == b"database unavailable"


# --- Numbers in the admin ------------------------------------------------------------------------


def organisation_admin_form(user, organisation, **changes):
    """The admin's own change form for `organisation`, as `user` fills it in."""
    model_admin = admin.site._registry[Organisation]
    request = RequestFactory().get("/")
    request.user = user
    form_class = model_admin.get_form(request, organisation)
    data = {name: getattr(organisation, name) for name in form_class.base_fields}
    data.update(changes)
    return form_class(data=data, instance=organisation)


@pytest.mark.parametrize("days", [999_999_999, 13, 366, 0])
def test_the_admin_refuses_a_trial_length_out_of_range_beside_the_field(coordinator, organisation, days):
    with translation.override("nl-be"):
        form = organisation_admin_form(coordinator, organisation, default_trial_days=days)
        assert not form.is_valid()
        error = " ".join(form.errors["default_trial_days"])
    assert "14" in error and "365" in error
    organisation.refresh_from_db()
    assert organisation.default_trial_days == 90


@pytest.mark.parametrize("days", [14, 365])
def test_the_admin_accepts_a_trial_length_at_either_end(coordinator, organisation, days):
    form = organisation_admin_form(coordinator, organisation, default_trial_days=days)
    assert form.is_valid(), form.errors


def test_an_over_long_user_name_is_refused_by_the_login_form(client, db):
    # The failed-login log keeps user names in a 255-character column: PostgreSQL refused the row.
    client.raise_request_exception = False
    response = client.post(reverse("login"), {"username": "x" * 100_000, "password": "wrong"})
    assert response.status_code == 200
    assert "150" in response.content.decode()


# --- The database away for a moment (issue 12: a restart under load answered 500) ----------------


def _database_away(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize("where", ["in the view", "while loading the session"])
def test_a_page_answers_503_with_retry_after_while_the_database_is_away(
    login, lead, youth, monkeypatch, where
):
    # Before: the uncaught OperationalError gave the generic 500 page ("Er ging iets mis").
    client = login(lead)
    client.raise_request_exception = False
    target = (
        ("jimcase.views.caseload_for", _database_away)
        if where == "in the view"
        else ("django.contrib.sessions.backends.db.SessionStore.load", _database_away)
    )
    with monkeypatch.context() as patch:
        patch.setattr(*target)
        response = client.get(reverse("jimcase:caseload"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert 'id="database-unavailable"' in body
    assert "Probeer het over enkele seconden opnieuw" in body
    # And once the database is back, the same client is served again.
    assert client.get(reverse("jimcase:caseload")).status_code == 200


def test_other_errors_still_answer_500(login, lead, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    client = login(lead)
    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr("jimcase.views.caseload_for", broken)
        response = client.get(reverse("jimcase:caseload"))
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert select(response, "#database-unavailable") == []


def test_the_unavailable_page_renders_without_the_database(rf, monkeypatch):
    from jimcase.views import server_error

    request = rf.get("/")
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", _database_away)
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = server_error(request)
    assert response.status_code == 503
