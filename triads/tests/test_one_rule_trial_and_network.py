"""One home for the trial's length and for who is in the JIM network (issue 22)."""

import datetime

from django.utils import timezone

from jimcase.models import Organisation
from jimcase.validators import TRIAL_DAYS_DEFAULT, TRIAL_DAYS_MAX, TRIAL_DAYS_MIN
from mentors import services as mentor_services
from mentors.models import JimProfile
from triads.rules import CHECK_IN_INTERVAL, trial_days_for, trial_end, trial_extended_end
from triads.selectors import in_peer_network_q, reaches_peer_network, reaches_peer_network_q

D = datetime.date


def test_the_trial_lasts_the_organisations_default_held_within_the_range():
    assert trial_days_for(Organisation()) == TRIAL_DAYS_DEFAULT
    assert trial_days_for(Organisation(default_trial_days=5)) == TRIAL_DAYS_MIN
    assert trial_days_for(Organisation(default_trial_days=900)) == TRIAL_DAYS_MAX
    assert trial_days_for(Organisation(), asked=60) == 60


def test_the_trial_ends_its_length_after_the_start_and_an_adjustment_moves_it_a_month_on_at_least():
    assert trial_end(D(2026, 1, 1), 90) == D(2026, 4, 1)
    assert trial_extended_end(D(2026, 4, 1), D(2026, 2, 15)) == D(2026, 4, 1)
    assert trial_extended_end(D(2026, 4, 1), D(2026, 3, 20)) == D(2026, 3, 20) + datetime.timedelta(
        days=CHECK_IN_INTERVAL
    )


def test_a_started_trial_ends_as_the_rule_says(started_triad):
    agreement = started_triad.current_agreement
    assert agreement.trial_days == trial_days_for(started_triad.youth.organisation)
    assert started_triad.trial_ends_on == trial_end(started_triad.trial_started_on, agreement.trial_days)


def network(day, q):
    return set(JimProfile.objects.filter(q(day)))


def test_the_jim_network_on_a_day_and_now(started_triad, jim, organisation):
    today = timezone.localdate()
    profile = started_triad.jim_profile
    alumnus = JimProfile.objects.create(organisation=organisation, name="Oud-JIM", peer_network_alumni=True)
    idle = JimProfile.objects.create(
        organisation=organisation, name="Nog geen triade", peer_network_opt_in=True
    )
    # Reaching the network (its pages, to join): a running triad or kept on as an alumnus; opting in is not needed.
    assert network(today, reaches_peer_network_q) == {profile, alumnus}
    assert [reaches_peer_network(p) for p in (profile, alumnus, idle)] == [True, True, False]
    assert network(today, in_peer_network_q) == set()
    mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim)
    assert network(today, in_peer_network_q) == {profile}
    # The day before the trial started the JIM's triad did not run yet.
    assert network(today - datetime.timedelta(days=1), in_peer_network_q) == set()
