"""Reading the file (inzage): who asks decides which notes they get; every production is recorded."""

import json

import pytest
from django.urls import reverse

from jimcase import services
from jimcase.models import AccessLog, DossierAccess, Note
from jimcase.tests import clock
from jimcase.tests.html import without_tokens

TODAY = clock.TODAY  # the day the autouse `today` fixture travels to
FLAGS = ["in_confidence", "third_party_only", "for_court", "withheld_for_youth"]

#: requester → the flags whose notes they read (a plain note, without flags, every requester reads).
READS = {
    "youth": set(),
    "vertrouwenspersoon": {"withheld_for_youth"},
    "parent": {"withheld_for_youth"},
}


@pytest.fixture
def notes(youth, lead):
    made = {
        "plain": services.note_add(youth=youth, author=lead, written_on=TODAY, text="Notitie zonder vlag.")
    }
    for flag in FLAGS:
        made[flag] = services.note_add(
            youth=youth, author=lead, written_on=TODAY, text=f"Notitie {flag}.", **{flag: True}
        )
    return made


def produce(client, youth, requester, fmt="page"):
    return client.post(
        reverse("jimcase:dossier_access", args=[youth.pk]),
        {"requester_type": requester, "requester_name": "Iemand Die Vraagt", "format": fmt},
    )


def make_incapable(youth, lead):
    services.youth_capacity_record(
        youth=youth, by=lead, deemed_incapable=True, motivation="Ernstige beperking."
    )


@pytest.mark.parametrize("requester", sorted(READS))
@pytest.mark.parametrize("flag", ["plain", *FLAGS])
def test_each_requester_reads_exactly_what_the_flags_allow(login, lead, youth, notes, requester, flag):
    if requester == "parent":
        make_incapable(youth, lead)
    body = produce(login(lead), youth, requester).content.decode()
    readable = flag == "plain" or flag in READS[requester]
    assert (notes[flag].text in body) is readable


@pytest.mark.parametrize("requester", sorted(READS))
def test_the_json_download_holds_the_same_notes(login, lead, youth, notes, requester):
    if requester == "parent":
        make_incapable(youth, lead)
    response = produce(login(lead), youth, requester, fmt="json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    texts = {note["text"] for note in data["notes"]}
    assert texts == {notes[k].text for k in ["plain", *READS[requester]]}
    assert data["youth"]["case_number"] == youth.case_number and data["produced"]["requester"] == requester


def test_every_production_is_recorded_and_logged(login, lead, youth, notes):
    produce(login(lead), youth, "youth")
    access = DossierAccess.objects.get()
    assert (access.youth, access.by, access.requester_type, access.requester_name, access.format) == (
        youth,
        lead,
        "youth",
        "Iemand Die Vraagt",
        "page",
    )
    assert AccessLog.objects.filter(
        youth=youth, user=lead, page="jimcase:dossier_access", action="change"
    ).exists()


def test_the_parents_of_a_capable_youth_are_refused_in_dutch(login, lead, youth, notes):
    response = produce(login(lead), youth, "parent")
    assert response.status_code == 200
    assert "De jongere is bekwaam" in response.content.decode()
    assert not DossierAccess.objects.exists()
    assert Note.objects.filter(withheld_for_youth=True).first().text not in without_tokens(response)


def test_a_youth_who_is_not_capable_is_referred_to_the_parents(login, lead, youth, notes):
    make_incapable(youth, lead)
    response = produce(login(lead), youth, "youth")
    assert "niet bekwaam" in response.content.decode()
    assert not DossierAccess.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "stranger", "jim", "coordinator"])
def test_outsiders_get_404_and_nothing_is_recorded(login, cast, youth, notes, who):
    assert produce(login(cast[who]), youth, "youth").status_code == 404
    assert not DossierAccess.objects.exists()
