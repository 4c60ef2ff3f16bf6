"""The triad's section of the youth's file, and the query counts of the triad pages."""

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from jimcase.models import ParentGuardian
from jimcase.tests.html import without_tokens
from triads import services
from triads.models import Party, SigningLink, Triad
from triads.sections import triad_section
from triads.selectors import triad_page_for
from triads.tests.conftest import sign_all

# --- The youth file's triad section -------------------------------------------------------------


def render_section(youth, user):
    request = RequestFactory().get(f"/youths/{youth.pk}/")
    request.user = user
    section = triad_section(request, youth)
    return without_tokens(render_to_string(section["template"], {"youth": youth, **section["context"]}))


def test_section_shows_the_refusal_flag_after_a_refusal(triad, lead, parents):
    assert "consent-refused-flag" not in render_section(triad.youth, lead)
    services.consent_record(
        triad=triad,
        parent=parents[1],
        decision="refused",
        decided_on=timezone.localdate(),
        method="orally",
        by=lead,
    )
    body = render_section(triad.youth, lead)
    assert "consent-refused-flag" in body
    assert "Tom Wouters" in body
    assert reverse("triads:detail", args=[triad.pk]) in body


def test_section_drops_the_flag_once_the_parent_consents_after_all(triad, lead, parents):
    for decision in ("refused", "given"):
        services.consent_record(
            triad=triad,
            parent=parents[1],
            decision=decision,
            decided_on=timezone.localdate(),
            method="orally",
            by=lead,
        )
    assert "consent-refused-flag" not in render_section(triad.youth, lead)


def test_section_offers_to_make_the_triad_from_a_found_search(found_search, lead):
    body = render_section(found_search.youth, lead)
    assert reverse("triads:create", args=[found_search.youth_id, found_search.pk]) in body


def test_section_shows_a_withdrawal_badge(started_triad, lead, parents):
    services.consent_record(
        triad=started_triad,
        parent=parents[0],
        decision="withdrawn",
        decided_on=timezone.localdate(),
        method="orally",
        by=lead,
    )
    assert "text-bg-danger" in render_section(started_triad.youth, lead)


# --- Query counts -------------------------------------------------------------------------------


def grow(triad, lead, n=3):
    """Add `n` parents, their decisions, `n` versions signed by youth and parents, and signing links."""
    youth = triad.youth
    for _i in range(n):
        ParentGuardian.objects.create(
            youth=youth,
            name=f"Voogd {youth.parents.count()}",
            relation="guardian",
            email=f"v{youth.parents.count()}@example.org",
        )
    agreement = services.agreement_update(agreement=triad.current_agreement, by=lead, include_parents=True)
    decided = set(triad.consents.values_list("parent_id", flat=True))
    for parent in youth.parents.filter(has_parental_authority=True).exclude(pk__in=decided):
        for decision in ("refused", "given"):
            services.consent_record(
                triad=triad,
                parent=parent,
                decision=decision,
                decided_on=timezone.localdate(),
                method="orally",
                by=lead,
            )
    for _version in range(n):
        services.agreement_sign(
            agreement=agreement,
            party=Party.YOUTH,
            method="in_person",
            typed_name="Lotte Vermeulen",
            user=lead,
        )
        for parent in youth.parents.filter(has_parental_authority=True)[:2]:
            services.agreement_sign(
                agreement=agreement,
                party=Party.PARENT,
                parent=parent,
                method="in_person",
                typed_name=parent.name,
                user=lead,
            )
        for parent in youth.parents.filter(has_parental_authority=True):
            services.signing_link_send(
                agreement=agreement, party=Party.PARENT, parent=parent, email="x@example.org", by=lead
            )
        agreement = services.agreement_new_version(triad=triad, by=lead)
    # Still a draft (the newest version is unsigned), like the small triad measured first.
    triad.refresh_from_db()
    assert triad.status == Triad.Status.DRAFT


def test_triad_page_runs_the_same_queries_at_two_data_sizes(login, triad, lead, django_assert_num_queries):
    client = login(lead)
    url = reverse("triads:detail", args=[triad.pk])
    grow(triad, lead, n=1)
    client.get(url)  # warm up: session, content types
    # 24: 22 + the JIM's and the youth's views before the evaluations (issue 14) + the record of why nobody
    # can decide on consent (issue 21).
    with django_assert_num_queries(24, info="two versions, one more parent"):
        client.get(url)
    grow(triad, lead, n=3)
    assert triad.agreements.count() == 5 and SigningLink.objects.count() > 10
    with django_assert_num_queries(24, info="five versions, four more parents"):
        response = client.get(url)
    assert response.status_code == 200


def test_print_page_runs_the_same_queries_however_many_signed(
    login, triad, lead, parents, django_assert_num_queries
):
    client = login(lead)
    agreement = services.agreement_update(agreement=triad.current_agreement, by=lead, include_parents=True)
    url = reverse("triads:agreement_print", args=[triad.pk, agreement.version])

    def sign_as(parent):
        services.agreement_sign(
            agreement=agreement,
            party=Party.PARENT,
            parent=parent,
            method="in_person",
            typed_name=parent.name,
            user=lead,
        )

    sign_as(parents[0])
    client.get(url)  # warm up: session, content types
    with django_assert_num_queries(8, info="one signature, by a parent"):
        response = client.get(url)
    assert response.content.decode().count("<li>") == 1
    for i in range(4):
        ParentGuardian.objects.create(youth=triad.youth, name=f"Voogd {i}", relation="guardian")
    for parent in triad.youth.parents.filter(has_parental_authority=True).exclude(pk=parents[0].pk):
        sign_as(parent)
    sign_all(agreement, lead)
    assert agreement.signatures.count() == 9  # six parents with parental authority, youth, professional, JIM
    with django_assert_num_queries(8, info="nine signatures, six by parents"):
        response = client.get(url)
    body = response.content.decode()
    assert body.count("<li>") == 9
    assert "Voogd 3 · voogd" in body and "Tom Wouters · vader" in body and "Wilma Janssens" in body


def test_the_selector_reads_the_page_in_a_fixed_number_of_queries(triad, lead, django_assert_num_queries):
    def read():
        fresh = Triad.objects.select_related("youth", "jim_profile", "fallback").get(pk=triad.pk)
        page = triad_page_for(fresh)
        [s.parent for s in page["signatures"]]
        [(p.name, d and d.recorded_by) for p, d in page["parent_consents"]]
        [c.parent.name for c in page["consent_history"]]
        [link.agreement.version for link in page["links"]]
        return page

    grow(triad, lead, n=1)
    # 18: 16 + the JIM's and the youth's views before the evaluations (issue 14) + the record of why nobody
    # can decide on consent (issue 21).
    with django_assert_num_queries(18, info="two versions, one more parent"):
        read()
    grow(triad, lead, n=3)
    with django_assert_num_queries(18, info="five versions, four more parents"):
        read()
