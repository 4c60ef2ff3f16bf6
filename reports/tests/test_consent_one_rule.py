"""Issue 22: a triad's consent state is decided once. The triad's page asks `triads.rules.consent_state`
(and `consent_rule_met`); the consent report groups on `consent_state_on(day)`, built from the same pieces:
`jimcase.rules.adult_on_q` (next to `age_on`) and `ConsentDecision.objects.current(as_of=day)`.
Random histories, youth by youth: the two say the same."""

import datetime
import random

import pytest
from django.utils import timezone

from jimcase.models import NobodyCanDecide, Youth
from jimcase.rules import ADULT_AGE, adult_on_q, age_on, born_by
from reports.tests.test_consent import decide, nobody, override, parent, triad_for
from triads.models import ConsentDecision, Triad
from triads.rules import CONSENT_IN_ORDER, CONSENT_STATES, consent_rule_met, consent_state, consent_state_on

D = datetime.date
Decision = ConsentDecision.Decision


def test_adult_on_a_day_is_age_on_in_the_database_form_also_around_29_february():
    births = [D(2007, 12, 31) + datetime.timedelta(days=n) for n in range(1100)]
    days = [D(2026, 2, 27), D(2026, 2, 28), D(2026, 3, 1), D(2028, 2, 28), D(2028, 2, 29), D(2028, 3, 1)]
    for day in days:
        for born in births:
            assert (born <= born_by(day, ADULT_AGE)) is (age_on(born, day) >= ADULT_AGE), (born, day)


@pytest.mark.django_db
def test_the_adult_q_picks_the_youths_age_on_says_are_adults(make_youth):
    day = D(2028, 2, 29)
    youths = make_youth(1, date_of_birth=D(2010, 2, 28)) + make_youth(1, date_of_birth=D(2010, 3, 1))
    adults = set(Youth.objects.filter(adult_on_q(day)).values_list("pk", flat=True))
    assert adults == {y.pk for y in youths if y.age_on(day) is not None and y.age_on(day) >= ADULT_AGE}
    assert adults == {youths[0].pk}


@pytest.mark.django_db
def test_current_as_of_a_day_is_the_latest_decision_recorded_by_its_end(make_youth, lead):
    (youth,) = make_youth(1, date_of_birth=D(2012, 5, 1))
    mother = parent(youth)
    triad = triad_for(youth, lead, created=D(2026, 1, 2))
    decide(triad, mother, Decision.PENDING, D(2026, 1, 2))
    decide(triad, mother, Decision.GIVEN, D(2026, 2, 1))
    decide(triad, mother, Decision.WITHDRAWN, D(2026, 3, 1))

    def latest(as_of=None):
        return [d.decision for d in ConsentDecision.objects.filter(triad=triad).current(as_of=as_of)]

    assert latest() == [Decision.WITHDRAWN]
    assert latest(D(2026, 3, 1)) == [Decision.WITHDRAWN]  # recorded that day counts by its end
    assert latest(D(2026, 2, 28)) == [Decision.GIVEN]
    assert latest(D(2026, 1, 31)) == [Decision.PENDING]
    assert latest(D(2026, 1, 1)) == []


@pytest.mark.django_db
def test_a_minor_without_parents_is_in_order_only_with_a_statement_page_and_report_alike(make_youth, lead):
    (youth,) = make_youth(1, date_of_birth=D(2012, 5, 1))
    triad = triad_for(youth, lead, created=D(2026, 1, 2))
    today = timezone.localdate()

    def both():
        in_db = Triad.objects.annotate(s=consent_state_on(today)).get(pk=triad.pk).s
        return consent_state(Triad.objects.get(pk=triad.pk)), CONSENT_STATES[in_db]

    assert both() == ("no_parents", "no_parents")
    assert not consent_rule_met(triad)
    nobody(youth, lead, D(2026, 1, 3))
    assert both() == ("nobody_decides", "nobody_decides")
    assert consent_rule_met(triad)
    nobody(youth, lead, D(2026, 1, 4), reason=NobodyCanDecide.Reason.LAPSED)
    assert both() == ("no_parents", "no_parents")


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_random_histories_the_report_says_what_the_rule_says_triad_by_triad(
    make_youth, lead, coordinator, seed
):
    rng = random.Random(seed)
    today = timezone.localdate()
    past = [today - datetime.timedelta(days=n) for n in range(200, 0, -7)]
    for _i in range(14):
        born = rng.choice(
            [
                today.replace(year=today.year - 15, day=1),
                born_by(today, ADULT_AGE),  # 18 today
                born_by(today, ADULT_AGE) + datetime.timedelta(days=1),  # 18 tomorrow
                today.replace(year=today.year - 20, day=1),
            ]
        )
        (youth,) = make_youth(1, date_of_birth=born)
        triad = triad_for(youth, lead, created=past[0])
        parents = [parent(youth, authority=rng.random() < 0.8) for _p in range(rng.choice([0, 0, 1, 2]))]
        for day in sorted(rng.sample(past, rng.randint(0, 4))):
            what = rng.choice(["decision", "decision", "nobody", "lapse", "override"])
            if what == "decision" and parents:
                decide(triad, rng.choice(parents), rng.choice(Decision.values), day)
            elif what == "nobody":
                nobody(youth, lead, day)
            elif what == "lapse":
                nobody(youth, lead, day, reason=NobodyCanDecide.Reason.LAPSED)
            elif what == "override" and rng.random() < 0.3:
                override(triad, coordinator, day)

    in_db = dict(Triad.objects.annotate(s=consent_state_on(today)).values_list("pk", "s"))
    seen = set()
    for triad in Triad.objects.select_related("youth"):
        state = consent_state(triad)
        assert CONSENT_STATES[in_db[triad.pk]] == state, triad.pk
        assert consent_rule_met(triad) is (state in CONSENT_IN_ORDER)
        seen.add(state)
    assert len(seen) >= 3  # the histories are varied enough to mean something
