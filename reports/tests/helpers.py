"""Test data for the reports: built straight in the database, in any state and on any date."""

from mentors.models import JimProfile, NetworkMember
from triads.models import Triad


def make_triad(youth, by, trial_started_on=None, activated_on=None, ended_on=None):
    """A triad with its own JIM, in the status its dates say (draft without a trial)."""
    member = NetworkMember.objects.create(youth=youth, name="Jim Iemand", relation="coach")
    profile = JimProfile.objects.create(organisation=youth.organisation, member=member, name="Jim Iemand")
    status = Triad.Status.ENDED if ended_on else Triad.Status.ACTIVE if activated_on else Triad.Status.TRIAL
    return Triad.objects.create(
        youth=youth,
        jim_profile=profile,
        fallback=by,
        status=status if trial_started_on or ended_on else Triad.Status.DRAFT,
        trial_started_on=trial_started_on,
        activated_on=activated_on,
        ended_on=ended_on,
    )
