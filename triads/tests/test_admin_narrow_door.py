"""The admin is a narrow door (issue 20): a list answers only the filters, orderings, searches and actions
it declares, the login page answers a visitor, and nothing sent to it is a server error.

Generated from every registered ModelAdmin, so a new screen is held to the same rules.
"""

# ruff: noqa: F811 (the `world` fixture is imported, then asked for by name)

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.test import Client
from django.urls import reverse

from jimcase.admin_narrow import NarrowAdmin, declared_lookups
from jimcase.models import User
from jimcase.tests.factories import UserFactory
from jimcase.tests.html import without_tokens
from jimcase.tests.second_factor import pass_second_factor
from triads.models import ConsentOverride, Triad
from triads.tests.test_permission_matrix import PASSWORD, client_for, world  # noqa: F401 (a fixture)

#: The lookups a guesser tries on a field (issue 20, hole 1).
GUESSES = {"exact": "1", "istartswith": "a", "year": "2010", "isnull": "1"}
#: Screens only a superuser opens: a coordinator is refused the whole screen (403) before any lookup.
SUPERUSER_ONLY = {"auth.group", "outbox.outgoingmail"}


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


class FakeRequest:
    GET = POST = {}

    def __init__(self, user):
        self.user = user


def every_list(admins):
    """(name, client, request, model, model_admin, url) for each list each admin may open."""
    for name, client, user in admins:
        for model, model_admin in registered():
            if name == "coord" and model._meta.label_lower in SUPERUSER_ONLY:
                continue  # refused as a whole (403) before any lookup
            yield name, client, FakeRequest(user), model, model_admin, changelist(model)


def shown_paths(model_admin, request):
    """The field paths a list shows: its plain field columns and what its display columns say they show."""
    shown = set()
    for column in model_admin.get_list_display(request):
        if isinstance(column, str):
            try:
                field = model_admin.model._meta.get_field(column)
            except FieldDoesNotExist:
                attribute = getattr(model_admin, column, None) or getattr(model_admin.model, column, None)
                order = getattr(attribute, "admin_order_field", None)
                if isinstance(order, str):
                    shown.add(order.lstrip("-"))
            else:
                shown.add(field.name)
    return shown


@pytest.fixture
def superuser(db, organisation):
    return UserFactory(username="root", organisation=organisation, is_staff=True, is_superuser=True)


@pytest.fixture
def admins(world, superuser):
    """(name, client, user) for the coordinator and a superuser, both past the second factor."""
    coordinator = world["users"]["coord"]
    root = Client(raise_request_exception=False)
    assert root.login(username=superuser.username, password=PASSWORD)
    pass_second_factor(root, superuser)
    return [("coord", client_for("coord", world), coordinator), ("superuser", root, superuser)]


def test_every_admin_screen_is_narrow():
    wide = [
        model._meta.label for model, model_admin in registered() if not isinstance(model_admin, NarrowAdmin)
    ]
    assert wide == []


def test_undeclared_lookups_are_refused_and_declared_ones_answer(admins):
    """For each concrete field of each listed model, `exact`, `istartswith`, `year` and `isnull` are refused
    (400) unless the list declares them, for a coordinator and a superuser; a related model's hidden field
    is refused the same way; every declared filter answers."""
    wrong, refused = [], 0
    for name, client, request, model, model_admin, url in every_list(admins):
        allowed = declared_lookups(model_admin, request)
        params = {}
        for field in model._meta.concrete_fields:
            for lookup, value in GUESSES.items():
                params[f"{field.name}__{lookup}"] = value
            if field.is_relation:
                for target in field.related_model._meta.concrete_fields:
                    params[f"{field.name}__{target.name}__istartswith"] = "a"
        for param, value in params.items():
            response = client.get(url, {param: value})
            if param in allowed:
                # A guess the field can hold lists (200); one it cannot gets Django's own "?e=1" redirect.
                bad_value = response.status_code == 302 and response.headers["Location"].endswith("?e=1")
                if response.status_code != 200 and not bad_value:
                    wrong.append(f"{name} {url}?{param}: declared, answered {response.status_code}")
            elif response.status_code != 400:
                wrong.append(f"{name} {url}?{param}={value}: {response.status_code}, not refused")
            else:
                refused += 1
        # A value each declared filter holds: a list filter's first choice (its own values, such as "yes"),
        # else a year, a date or 1.
        choices = {
            spec.parameter_name: str(spec.lookup_choices[0][0])
            for spec in client.get(url).context["cl"].filter_specs
            if isinstance(spec, SimpleListFilter) and spec.lookup_choices
        }
        for param in allowed:
            value = choices.get(param) or ("2026" if param.endswith("__year") else "1")
            if param.endswith(("__gte", "__lt")):
                field = get_fields_from_path(model, param.rpartition("__")[0])[-1]
                value = (
                    "2026-01-01 00:00:00+01:00"
                    if field.get_internal_type() == "DateTimeField"
                    else "2026-01-01"
                )
            response = client.get(url, {param: value})
            if response.status_code != 200:
                wrong.append(f"{name} {url}?{param}={value} (declared): {response.status_code}")
    assert refused > 500
    assert wrong == [], "\n".join(wrong)


def test_the_hidden_message_of_a_fallback_request_cannot_be_guessed(world, admins):
    """The reproduction: `?id=…&message__istartswith=…` showed or hid the row depending on the guess."""
    request = world["fallback_request"]
    for _name, client, _user in admins:
        url = changelist(type(request))
        assert client.get(url, {"id": request.pk, "message__istartswith": "E"}).status_code == 400
        assert client.get(url, {"message__istartswith": "Z"}).status_code == 400
        assert client.get(url, {"triad__youth__last_name__istartswith": "J"}).status_code == 400


def test_orderings_only_on_shown_columns(admins):
    """`?o=` orders only by a sortable column the list shows; a field name, an index past the columns or
    an unsortable column is refused. The default order uses shown fields only."""
    wrong = []
    for name, client, request, model, model_admin, url in every_list(admins):
        shown = shown_paths(model_admin, request) | {"pk", "id"}
        # The list's own columns: with actions, Django puts the tick box first.
        cl = client.get(url).context["cl"]
        columns, sortable = cl.list_display, cl.sortable_by
        for field in model._meta.concrete_fields:
            if client.get(url, {"o": field.name}).status_code != 400:
                wrong.append(f"{name} {url}?o={field.name}: not refused")
        if client.get(url, {"o": str(len(columns))}).status_code != 400:
            wrong.append(f"{name} {url}?o={len(columns)}: not refused")
        for index, column in enumerate(columns):
            for sign in ("", "-"):
                response = client.get(url, {"o": f"{sign}{index}"})
                if column not in sortable:
                    if response.status_code != 400:
                        wrong.append(f"{name} {url}?o={sign}{index} ({column}): not refused")
                    continue
                if response.status_code != 200:
                    wrong.append(f"{name} {url}?o={sign}{index} ({column}): {response.status_code}")
                    continue
                used = response.context["cl"].queryset.query.order_by
                hidden = [str(part) for part in used if str(part).lstrip("-") not in shown]
                if hidden:
                    wrong.append(f"{name} {url}?o={sign}{index}: orders by hidden {hidden}")
        default = model_admin.get_ordering(request) or model._meta.ordering
        hidden = [part for part in default if str(part).lstrip("-") not in shown]
        if hidden:
            wrong.append(f"{url}: default order by hidden {hidden}")
    assert wrong == [], "\n".join(wrong)


def test_searches_only_in_shown_fields(superuser):
    request = FakeRequest(superuser)
    wrong = []
    for model, model_admin in registered():
        shown = shown_paths(model_admin, request)
        for path in model_admin.get_search_fields(request):
            bare = path.lstrip("^=@")
            get_fields_from_path(model, bare)  # a real path
            if bare not in shown:
                wrong.append(f"{model._meta.label}: searches {bare}, shows {sorted(shown)}")
    assert wrong == []


def test_a_hidden_name_of_a_person_cannot_be_searched(world, admins):
    lead = world["users"]["lead"]
    User.objects.filter(pk=lead.pk).update(first_name="Geheimvoornaam", last_name="Verborgenachternaam")
    for _name, client, _user in admins:
        for term in ("Geheimvoornaam", "Verborgenachternaam"):
            response = client.get(changelist(User), {"q": term})
            assert response.status_code == 200
            assert list(response.context["cl"].result_list) == []


def test_the_autocomplete_serves_no_relation_a_screen_did_not_declare(world, admins):
    """`/admin/autocomplete/` answered any relation with each row's full name ("first name – JIM")."""
    url = reverse("admin:autocomplete")
    for name, client, _user in admins:
        for model_name, field_name in (("consentoverride", "triad"), ("caseassignment", "professional")):
            app_label = "triads" if model_name == "consentoverride" else "jimcase"
            response = client.get(
                url, {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""}
            )
            assert response.status_code == 403, (name, model_name)
            assert "Wilma" not in without_tokens(response)


def test_consent_overrides_name_a_triad_by_case_number_only(world, admins):
    """The list, the add form and the page of an override showed "first name – JIM's full name"."""
    triad = Triad.objects.filter(youth=world["youth"], status=Triad.Status.DRAFT).get()
    jim_name = str(triad.jim_profile)
    first_name = triad.youth.first_name
    _name, client, coordinator = admins[0]
    add = reverse("admin:triads_consentoverride_add")
    page = without_tokens(client.get(add))
    assert triad.youth.case_number in page
    assert jim_name not in page and first_name not in page
    response = client.post(
        add, {"triad": triad.pk, "justification": "De ouders zijn onbereikbaar, al 3 maanden."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = ConsentOverride.objects.get(triad=triad)
    for url in (
        changelist(ConsentOverride),
        reverse("admin:triads_consentoverride_change", args=[override.pk]),
        reverse("admin:triads_consentoverride_history", args=[override.pk]),
        reverse("admin:index"),  # the recent actions
    ):
        page = without_tokens(client.get(url))
        assert triad.youth.case_number in page, url
        assert jim_name not in page and first_name not in page, url


def test_a_triad_page_is_named_by_its_case_number(world, admins):
    triad = world["triad"]
    _name, client, _user = admins[0]
    page = without_tokens(client.get(reverse("admin:triads_triad_change", args=[triad.pk])))
    assert triad.youth.case_number in page
    assert str(triad.jim_profile) not in page


# --- No server error, whatever is sent (hole 3 and 4) ---------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_logged_out_visit_to_the_admin_reaches_the_login_page(db, method, settings):
    """Every logged-out visit to /admin/ was a server error: the reports' section asked `is_coordinator`
    of an anonymous user on the admin's login page. The admin's login now sends to the app's one login
    page (its throttling, lockout page and second factor), and back to the admin after."""
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = getattr(client, method)(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [
        (f"{reverse('admin:login')}?next=/admin/", 302),
        (f"{reverse('login')}?next=/admin/", 302),
    ]
    assert 'name="password"' in response.content.decode()


def test_the_admin_index_after_logging_in_through_the_one_door(db, coordinator, settings):
    client = Client(raise_request_exception=False)
    response = client.post(
        f"{reverse('login')}?next=/admin/",
        {"username": coordinator.username, "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )
    # Her password is not enough: the second factor first (set it up, as this account has none yet).
    assert response.status_code == 200
    assert "/accounts/second-factor/" in response.redirect_chain[-1][0]
    pass_second_factor(client, coordinator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:reports_index") in response.content.decode()


def test_hostile_values_in_a_search_a_filter_or_the_autocomplete_are_no_server_error(world, admins):
    """On PostgreSQL a NUL in a query was a server error; it is refused (400) on every list. Years 1 and
    9999, a zero, a huge number and letters in every declared filter answer, never with a server error."""
    wrong = []
    for name, client, request, _model, model_admin, url in every_list(admins):
        for param in ["q", *declared_lookups(model_admin, request)]:
            response = client.get(url, {param: "a\x00b"})
            if response.status_code != 400:
                wrong.append(f"{name} {url}?{param}=NUL: {response.status_code}")
            for value in ("0001-01-01", "9999-12-31", "0", "9" * 25, "zz", "-1"):
                response = client.get(url, {param: value})
                if response.status_code >= 500:
                    wrong.append(f"{name} {url}?{param}={value}: {response.status_code}")
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "triads", "model_name": "consentoverride", "field_name": "triad", "term": "\x00"},
        )
        if response.status_code != 400:
            wrong.append(f"{name} autocomplete term=NUL: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_an_action_on_an_unreadable_selection_changes_nothing(world, admins):
    """`_selected_action=zz` on the user and peer-meeting lists was a server error."""
    wrong = []
    for name, client, request, model, model_admin, url in every_list(admins):
        for action in model_admin.get_actions(request):
            for selection in ("zz", "\x00", "1e9999", ""):
                response = client.post(url, {"action": action, "index": "0", "_selected_action": selection})
                if response.status_code != 302:
                    wrong.append(f"{name} {model._meta.label} {action} {selection!r}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
