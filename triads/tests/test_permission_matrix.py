"""Every URL × GET and POST × the cast answers as `permission_matrix.MATRIX` says; refused POSTs change nothing.

A URL without a row in the matrix fails `test_every_url_has_a_row`, so a new page cannot ship without
its rules. Each request runs in a savepoint that is rolled back, so the cells do not disturb each other.
"""

import hashlib
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jimcase.models import AccessLog, FormSubmission, Role, Youth
from jimcase.registry import admin_sections
from jimcase.services import note_add
from jimcase.tests.factories import PASSWORD, UserFactory
from jimcase.tests.second_factor import pass_second_factor_if_required
from mentors import services as mentor_services
from mentors.models import NetworkMember, PeerMeeting, Topic
from triads import services
from triads.models import CheckIn, EndReason, JimLogEntry
from triads.services.agreements import SIGNING_LINK_SALT
from triads.tests.conftest import OUTCOME, assign_backup, give_all_consents, make_found_search, sign_all
from triads.tests.permission_matrix import (
    ADMIN_ANY,
    ADMIN_INDEX,
    ADMIN_NONE,
    ADMIN_OWN,
    ADMIN_PAGES,
    DRAFT_TRIAD,
    MATRIX,
    MEMBERS,
    expected,
)

#: Tables a request may touch without changing anything that matters (sessions, the log of visits).
NOT_COMPARED = {Session, AccessLog, FormSubmission}


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def app_urls():
    return sorted({name for name, _p in _walk(get_resolver().url_patterns) if not name.startswith("admin:")})


def test_every_url_has_a_row():
    missing = [name for name in app_urls() if name not in MATRIX]
    assert missing == [], f"add these URLs to triads/tests/permission_matrix.py: {missing}"
    assert [name for name in MATRIX if name not in app_urls()] == []


@pytest.fixture
def world(
    db,
    youth,
    lead,
    colleague,
    stranger,
    jim,
    other_jim,
    coordinator,
    other_coordinator,
    parents,
    organisation,
    other_triad,
):
    """One youth with a triad in its trial and everything its pages point at, and the whole cast."""
    backup = UserFactory(username="backup", organisation=organisation, role=Role.PROFESSIONAL)
    backup_assignment = assign_backup(youth, backup, lead)
    # The youth's JIM: a triad in its trial.
    found = make_found_search(youth, lead, jim_user=jim, name="Wilma Janssens", email="wilma@example.org")
    triad = services.triad_create(search=found, by=lead)
    sign_all(triad.current_agreement, lead)
    give_all_consents(triad, lead)
    triad.refresh_from_db()
    assert triad.is_running
    # A JIM whose triad with the same youth ended, and one whose triad is still a draft.
    exjim = UserFactory(username="exjim", organisation=organisation, role=Role.JIM)
    ended = services.triad_create(
        search=make_found_search(youth, lead, jim_user=exjim, name="Ex Jim", email="ex@example.org"), by=lead
    )
    closure = services.triad_close(
        **OUTCOME, triad=ended, by=lead, reason=EndReason.OTHER, after_plan="Verder met Wilma."
    )
    draft_jim = UserFactory(username="draftjim", organisation=organisation, role=Role.JIM)
    draft = services.triad_create(
        search=make_found_search(
            youth, lead, jim_user=draft_jim, name="Karel Buur", email="karel@example.org"
        ),
        by=lead,
    )
    # A moment and a log entry of the draft triad, written straight to the tables (its JIM cannot write one):
    # the pages of DRAFT_TRIAD must refuse them all the same.
    draft_moment = CheckIn.objects.create(
        triad=draft,
        kind=CheckIn.Kind.TRIAL_EVALUATION,
        due_on=timezone.localdate() + timezone.timedelta(days=30),
    )
    draft_entry = JimLogEntry.objects.create(
        triad=draft, author=draft_jim, happened_on=timezone.localdate(), kind=JimLogEntry.Kind.MET
    )
    # What the pages' addresses point at.
    member = NetworkMember.objects.create(
        youth=youth, name="Tante Mie", relation="aunt_uncle", closeness="close", is_adult=True
    )
    search = mentor_services.search_start(youth=youth, by=lead)
    candidate = mentor_services.candidate_add(search=search, member=member, by=lead)
    note = note_add(youth=youth, author=lead, written_on=timezone.localdate(), text="Gaat goed op school.")
    share = services.note_share(note=note, triad=triad, agreed_on=timezone.localdate(), by=lead)
    entry = services.jim_log_add(
        triad=triad, by=jim, happened_on=timezone.localdate(), kind=JimLogEntry.Kind.MET
    )
    request = services.fallback_request_send(triad=triad, by=jim, message="Even bellen?")
    evaluation = services.evaluation_record(triad=triad, by=lead, held_on=timezone.localdate(), score=4)
    meeting = PeerMeeting.objects.create(
        organisation=organisation,
        starts_at=timezone.now() + timezone.timedelta(days=7),
        place="Gent",
        topic="Grenzen",
    )
    Topic.objects.create(organisation=organisation, name="Chiro")  # the organisation's own "who for what"
    link, _url = services.signing_link_send(
        agreement=services.agreement_new_version(triad=triad, by=lead),
        party="youth",
        email="lotte@example.org",
        by=lead,
    )
    users = {
        "lead": lead,
        "backup": backup,
        "coll": colleague,
        "other": stranger,
        "jim": jim,
        "draft": draft_jim,
        "ojim": other_jim,
        "exjim": exjim,
        "coord": coordinator,
        "ocoord": other_coordinator,
    }
    kwargs = {
        "pk": None,  # set per namespace below
        "youth_pk": youth.pk,
        "parent_pk": parents[0].pk,
        "assignment_pk": backup_assignment.pk,
        "search_pk": found.pk,
        "version": 1,
        # The evaluation at the end of the trial: every moment's page opens for it, the views' pages too.
        "check_in_pk": CheckIn.objects.open().get(triad=triad, kind=CheckIn.Kind.TRIAL_EVALUATION).pk,
        "request_pk": request.pk,
        "entry_pk": entry.pk,
        "meeting_pk": meeting.pk,
        "share_pk": share.pk,
        "token": signing.dumps({"l": link.pk, "n": link.nonce}, salt=SIGNING_LINK_SALT),
        "uidb64": "MQ",
        "token_reset": "x-y",
    }
    pks = {
        "jimcase": youth.pk,
        "triads": triad.pk,
        "mentors:member_edit": member.pk,
        "mentors:search_stop": search.pk,
        "mentors:candidate_add": search.pk,
    }
    return {
        "users": users,
        "kwargs": kwargs,
        "pks": pks,
        "candidate": candidate,
        "youth": youth,
        "triad": triad,
        "draft_kwargs": {"pk": draft.pk, "check_in_pk": draft_moment.pk, "entry_pk": draft_entry.pk},
        "fallback_request": request,
        # What the admin's read-only case-metadata lists show, one object of the organisation each.
        "admin_objects": {
            "jimcase.caseassignment": backup_assignment,
            "mentors.search": found,
            "triads.evaluation": evaluation,
            "triads.closure": closure,
            "triads.fallbackrequest": request,
        },
    }


def url_for(name, world):
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    needed = set(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)))
    kwargs = {}
    for key in needed:
        if key == "pk":
            if name in world["pks"]:
                kwargs[key] = world["pks"][name]
            elif name.startswith("mentors:candidate"):
                kwargs[key] = world["candidate"].pk
            else:
                kwargs[key] = world["pks"][name.split(":")[0]]
        elif key == "token" and name == "password_reset_confirm":
            kwargs[key] = world["kwargs"]["token_reset"]
        else:
            kwargs[key] = world["kwargs"][key]
    return reverse(name, kwargs=kwargs)


def snapshot():
    """A fingerprint of every row that matters, to prove a refused POST changed nothing."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model in NOT_COMPARED or model._meta.proxy:
            continue
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr((model._meta.label, row)).encode())
    return digest.hexdigest()


def classify(response):
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302) and location.startswith(reverse("admin:login")):
        return "admin"
    if response.status_code in (301, 302) and location.startswith(reverse("login")):
        return "login"
    if response.status_code in (200, 301, 302, 303):
        return "ok"
    return str(response.status_code)


def client_for(member, world):
    client = Client(raise_request_exception=False)
    if member != "anon":
        user = world["users"][member]
        assert client.login(username=user.username, password=PASSWORD)
        pass_second_factor_if_required(client, user)
    return client


def check(url, rows, world):
    """Ask `url` as every cast member with GET and POST; return the cells that differ from `rows`."""
    wrong = []
    clients = {member: client_for(member, world) for member in MEMBERS}
    for method, row in zip(("GET", "POST"), rows, strict=True):
        for member, want in expected(row).items():
            with transaction.atomic():
                before = snapshot() if method == "POST" and want != "ok" else None
                response = getattr(clients[member], method.lower())(url)
                got = classify(response)
                if before is not None and snapshot() != before:
                    wrong.append(f"{method} {url} as {member}: refused but changed the database")
                transaction.set_rollback(True)
            if got != want:
                wrong.append(
                    f"{method} {url} as {member}: expected {want}, got {got} ({response.status_code})"
                )
    return wrong


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_matrix(world, name):
    assert check(url_for(name, world), MATRIX[name], world) == []


@pytest.mark.parametrize("name", sorted(DRAFT_TRIAD))
def test_the_draft_triads_jim_pages(world, name):
    """The JIM's pages at the draft triad's address: its JIM reads and signs the agreement, nothing more."""
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    needed = set(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)))
    url = reverse(name, kwargs={key: world["draft_kwargs"][key] for key in needed})
    assert check(url, DRAFT_TRIAD[name], world) == []


def admin_urls(world):
    """(url, row) for every model in the admin: its list, and the pages of one object of the organisation."""
    coordinator = world["users"]["coord"]
    own = {
        "jimcase.organisation": coordinator.organisation,
        "jimcase.team": coordinator.organisation.teams.first(),
        "jimcase.user": world["users"]["lead"],
        "jimcase.youth": world["youth"],
        "triads.triad": world["triad"],
        "mentors.jimprofile": world["triad"].jim_profile,
        "mentors.peermeeting": PeerMeeting.objects.first(),
        "mentors.topic": Topic.objects.get(name="Chiro"),
        **world["admin_objects"],
    }
    #: Read-only case metadata: the coordinator may look, never save.
    read_only = {"jimcase.youth", "triads.triad", *world["admin_objects"]}
    rows = [(reverse("admin:index"), (ADMIN_INDEX, ADMIN_INDEX))]
    rows += [(reverse(name), pair) for name, pair in ADMIN_PAGES.items()]
    for model in admin.site._registry:
        opts = model._meta
        # Groups, and the outbox (its rows name addresses across organisations), are for superusers only.
        listing = ADMIN_NONE if opts.label_lower in ("auth.group", "outbox.outgoingmail") else ADMIN_ANY
        rows.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), (listing, listing)))
        obj = own.get(opts.label_lower)
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            rows.append((change, (ADMIN_OWN, ADMIN_NONE if opts.label_lower in read_only else ADMIN_OWN)))
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            rows.append((history, (ADMIN_OWN, ADMIN_OWN)))
    return rows


def test_every_admin_page_of_an_app_has_a_row():
    """The pages the apps add to the admin (the reports) each have their row, like the app's own URLs."""
    added = sorted(f"admin:{p.name}" for section in admin_sections(admin.site) for p in section.urls)
    assert added and added == sorted(ADMIN_PAGES)


def test_the_admin_lets_in_only_coordinators_and_only_to_their_own_organisation(world):
    wrong = []
    for url, rows in admin_urls(world):
        wrong += check(url, rows, world)
    assert wrong == []


#: The admin's own doors answer everyone: its login form (it refuses non-staff there) and its logout.
ADMIN_DOORS = {"admin:login", "admin:logout"}


def admin_patterns():
    """Every named URL of the admin, with the pattern's argument names."""
    return sorted(
        (name, set(re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", str(p.pattern))))
        for name, p in _walk(get_resolver().url_patterns)
        if name.startswith("admin:")
    )


def admin_example(name, args, world):
    """A concrete address for an admin URL: object ids of the coordinator's own organisation."""
    own = {
        "jimcase_organisation": world["users"]["coord"].organisation.pk,
        "jimcase_team": world["users"]["coord"].organisation.teams.first().pk,
        "jimcase_user": world["users"]["lead"].pk,
        "jimcase_youth": world["youth"].pk,
        "triads_triad": world["triad"].pk,
        "mentors_jimprofile": world["triad"].jim_profile.pk,
        "mentors_peermeeting": PeerMeeting.objects.first().pk,
        "mentors_topic": Topic.objects.get(name="Chiro").pk,
        **{label.replace(".", "_"): obj.pk for label, obj in world["admin_objects"].items()},
    }
    names = {a for pair in args for a in pair if a}
    model = name.removeprefix("admin:").rsplit("_", 1)[0]
    kwargs = {}
    for arg in names:
        if arg in ("object_id", "id", "pk"):
            if model not in own:
                return None  # a model without an object of the organisation in the world (e.g. auth groups)
            kwargs[arg] = own[model]
        elif arg == "app_label":
            kwargs[arg] = "jimcase"
        elif arg == "content_type_id":
            kwargs[arg] = ContentType.objects.get_for_model(Youth).pk
        elif arg == "url":
            kwargs[arg] = "onbekend/"
        else:
            return None
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def test_every_admin_url_keeps_out_everyone_but_staff_and_other_organisations(world):
    """No admin page answers a non-staff user, and the other organisation's coordinator never gets an
    own-organisation object's page (only her own lists and forms)."""
    wrong, checked = [], 0
    clients = {member: client_for(member, world) for member in MEMBERS}
    for name, args in admin_patterns():
        if name in ADMIN_DOORS:
            continue
        url = admin_example(name, args, world)
        if url is None:
            continue
        checked += 1
        for member, client in clients.items():
            for method in ("get", "post"):
                with transaction.atomic():
                    before = snapshot() if member not in ("coord", "ocoord") else None
                    response = getattr(client, method)(url)
                    got = classify(response)
                    if before is not None and snapshot() != before:
                        wrong.append(f"{method} {url} as {member} changed the database")
                    transaction.set_rollback(True)
                if member == "anon" and got not in ("login", "admin"):
                    wrong.append(f"{method} {url} as anon: {got}")
                elif member not in ("anon", "coord", "ocoord") and got not in ("admin", "login", "405"):
                    wrong.append(f"{method} {url} as {member}: {got}")
                elif (
                    member == "ocoord"
                    and any(a in ("object_id", "id", "pk") for pair in args for a in pair)
                    and got == "ok"
                    and response.status_code == 200
                ):
                    wrong.append(f"{method} {url} as ocoord: 200 on another organisation's object")
    assert checked > 30
    assert wrong == [], "\n".join(wrong)


def test_the_admin_doors_answer_everyone_logged_out_too(world):
    """The admin's login door sends every cast member to the app's one login page; a logged-out visit to
    /admin/ was a server error (a section of the admin's index asked a visitor whether she was a
    coordinator)."""
    #            GET login, POST login, GET logout, POST logout (logged out, sent on)
    want = dict.fromkeys(MEMBERS, ("login", "login", "ok", "302"))
    want["anon"] = ("login", "login", "admin", "302")
    # Logging out of the admin takes a POST.
    want["coord"] = want["ocoord"] = ("login", "login", "405", "302")
    wrong = []
    for member in MEMBERS:
        answers = []
        for method, name in (("get", "admin:login"), ("post", "admin:login"), ("get", "admin:logout")):
            response = getattr(client_for(member, world), method)(reverse(name))
            answers.append(str(response.status_code) if response.status_code != 302 else classify(response))
        response = client_for(member, world).post(reverse("admin:logout"))
        answers.append(str(response.status_code))
        if tuple(answers) != want[member]:
            wrong.append(f"{member}: {answers}, expected {want[member]}")
    assert wrong == [], "\n".join(wrong)


def test_admin_lists_refuse_undeclared_lookups_and_orderings_for_everyone(world):
    """Every admin list × every cast member, with a lookup on a hidden field and an ordering by name: a
    visitor is sent to log in, a non-staff user to the admin's login, a coordinator refused (400) — or
    403 on a screen she has no right to at all. Nobody gets a page, nobody a server error."""
    clients = {member: client_for(member, world) for member in MEMBERS}
    wrong = []
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        staff = "403" if opts.label_lower in ("auth.group", "outbox.outgoingmail") else "400"
        for query in ({"pk__istartswith": "1"}, {"o": "pk"}, {"id__exact": "1", "o": "99"}):
            for member, client in clients.items():
                want = {"anon": "login", "coord": staff, "ocoord": staff}.get(member, "admin")
                got = classify(client.get(url, query))
                if got != want:
                    wrong.append(f"{url}?{query} as {member}: {got}, expected {want}")
    assert wrong == [], "\n".join(wrong)
