import re

from django.urls import reverse

from jimcase.tests.html import without_tokens
from mentors import services
from mentors.models import NetworkMember
from mentors.networkmap import network_map_svg

from . import factories

Closeness = NetworkMember.Closeness


def _svg(youth, lead, **kwargs):
    return str(network_map_svg(youth=youth, members=list(youth.network.all()), **kwargs))


def test_map_draws_three_rings_and_every_member_by_name_and_relation(youth, lead):
    factories.member(youth, lead, "Maria Wouters", relation="grandparent", closeness=Closeness.CLOSE)
    factories.member(youth, lead, "Jonas Peeters", relation="coach", closeness=Closeness.MIDDLE)
    factories.member(youth, lead, "Emma Goossens", relation="older_friend", closeness=Closeness.FURTHER)
    svg = _svg(youth, lead)
    assert len(re.findall(r'class="ring ring-', svg)) == 3
    for ring in ("close", "middle", "further"):
        assert f"ring-{ring}" in svg
    for name in ("Maria Wouters", "Jonas Peeters", "Emma Goossens"):
        assert f">{name}</text>" in svg
    assert svg.count('class="member member-member"') == 3
    assert "Lotte" in svg  # the youth in the centre


def test_members_sit_on_the_ring_of_their_closeness(youth, lead):
    factories.member(youth, lead, "Dichtbij", closeness=Closeness.CLOSE)
    factories.member(youth, lead, "Veraf", closeness=Closeness.FURTHER)
    svg = _svg(youth, lead)

    def distance(name):
        group = re.search(
            rf'<g class="member[^"]*"><title>{name} .*?<circle cx="([\d.]+)" cy="([\d.]+)"', svg
        )
        x, y = float(group.group(1)), float(group.group(2))
        return round(((x - 400) ** 2 + (y - 345) ** 2) ** 0.5)

    assert distance("Dichtbij") == 110
    assert distance("Veraf") == 290


def test_names_are_escaped_and_no_script_ever_appears(youth, lead):
    evil = '<script>alert("x")</script>&"'
    NetworkMember.objects.create(youth=youth, name=evil, relation="other")  # past the form on purpose
    youth.first_name = "<img src=x onerror=alert(1)>"
    svg = _svg(youth, lead)
    assert "<script" not in svg
    assert "<img" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&quot;" in svg


def test_candidates_and_the_chosen_jim_stand_out_with_a_legend(youth, lead, search):
    member = factories.member(youth, lead, "Wilma Janssens")
    candidate = factories.member(youth, lead, "Jef Verhaegen")
    factories.member(youth, lead, "Gewoon Iemand")
    svg = _svg(youth, lead, candidate_ids={candidate.pk}, chosen_ids={member.pk})
    assert svg.count('class="member member-candidate"') == 1
    assert svg.count('class="member member-jim"') == 1
    assert svg.count('class="member member-member"') == 1
    assert 'stroke="#b35c00"' in svg and 'stroke-dasharray="5 3"' in svg  # candidate: colour and dashes
    assert 'fill="#2e8b57"' in svg  # the JIM: another colour (and a double ring)
    assert 'class="legend"' in svg and svg.count('class="legend-item"') == 3


def test_map_is_accessible(youth, lead):
    factories.member(youth, lead, "Maria Wouters", relation="grandparent")
    svg = _svg(youth, lead, id_prefix="m1")
    assert 'role="img"' in svg
    assert 'aria-label="' in svg
    assert '<title id="m1-title">' in svg
    assert re.search(r'<desc id="m1-desc">[^<]*Maria Wouters', svg)


def test_map_endpoint_serves_svg_with_highlights(login, lead, youth, search):
    wilma = factories.member(youth, lead, "Wilma Janssens")
    services.candidate_add(search=search, member=wilma, by=lead)
    response = login(lead).get(reverse("mentors:network_map", args=[youth.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = without_tokens(response)
    assert body.startswith("<?xml")
    assert 'xmlns="http://www.w3.org/2000/svg"' in body
    assert "member-candidate" in body
    assert "<script" not in body


def test_a_candidate_who_said_no_is_no_longer_highlighted(login, lead, youth, search):
    candidate = factories.candidate(search, lead, "Dirk")
    services.candidate_status_set(candidate=candidate, to="not_suitable", reason="Te ver weg.", by=lead)
    body = without_tokens(login(lead).get(reverse("mentors:network_map", args=[youth.pk])))
    assert "member-candidate" not in body
    assert body.count('class="member member-member"') == 1


def test_empty_network_still_draws_the_youth(youth, lead):
    svg = _svg(youth, lead)
    assert "Lotte" in svg and svg.count('class="member ') == 0
