"""The one "today" of the tests (not the browser tests).

The root conftest's autouse fixture `today` travels to NOW (time-machine, tick=True: the clock still runs
from there) before every test outside e2e/, so `timezone.localdate()`, `date.today()`, `timezone.now()`,
`time.time()` (the second factor's codes) and everything the app computes from them agree with TODAY,
whatever day the suite runs on and even when it runs across midnight. A module that needs today at import
time (a constant, a parametrize list) imports TODAY from here rather than calling `date.today()`.

TODAY is a Tuesday in winter (Brussels on UTC+1), after every fixed date the tests write down.
"""

import datetime
import zoneinfo

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
TODAY = datetime.date(2026, 12, 8)
NOW = datetime.datetime.combine(TODAY, datetime.time(10, 0), tzinfo=BRUSSELS)
