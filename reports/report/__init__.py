"""A report as its page, export and charts all show it: tables of rows, every count already suppressed.

Each report turns the database's figures (`reports.selectors`) into tables; nothing here counts rows itself.
One module per report area; `tables` holds what they share.
"""

from .capacity import capacity_report  # noqa: F401
from .followup import consent_report, followup_report  # noqa: F401
from .funnel import funnel_report  # noqa: F401
from .tables import BENCHMARK_MEAN_DAYS, BENCHMARK_SHARE, BENCHMARK_SOURCE, Row, Table  # noqa: F401
from .triad_reports import outcomes_report, triads_report  # noqa: F401
