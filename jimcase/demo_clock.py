"""The demo's clock (demo only!): the seeders call the services as if it were the day a step happened.

Every service stamps "now" (a signature, a status change, a consent's recording, a stage move, the access
log, a mail), so a demo built at the seeding time alone dates a trial's signatures after its start. Inside
`on(day)` the clock reads that day (time-machine, fixed, not ticking), and what the services write carries
it: the demo's year agrees with itself, and every rule the services apply holds on the day it is applied.
Never later than the real now: the demo writes nothing in the future.
"""

import contextlib
import datetime

import time_machine
from django.utils import timezone


def moment(day, hour=10, minute=0):
    """`day` at `hour`:`minute` local time (an aware datetime; a datetime stays itself), never after the
    real now."""
    if isinstance(day, datetime.datetime):
        return min(day, timezone.now())
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return min(when, timezone.now())


@contextlib.contextmanager
def on(day, hour=10, minute=0):
    """Run the block as if it were `day` at `hour`:`minute` (local time), or at the datetime `day`; at most
    the real now. Yields that moment."""
    when = moment(day, hour, minute)
    with time_machine.travel(when, tick=False):
        yield when


def years_before(day, years):
    """The same calendar day `years` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
