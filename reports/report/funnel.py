"""Report 1, the wie-vraag."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentors.models import Search

from .. import selectors
from ..rules import HIDDEN, THRESHOLD, Cell, count_cell, suppress
from .tables import (
    BENCHMARK_MEAN_DAYS,
    BENCHMARK_SHARE,
    BENCHMARK_SOURCE,
    Row,
    Table,
    count_rows,
    number,
    signed,
)


def funnel_report(filters):
    """Report 1, the wie-vraag: the funnel, the searches' outcome against the YIM study, days to a JIM,
    open searches, and the monthly trend."""
    figures = selectors.funnel_figures(filters)
    month_labels = [date_format(month, "M Y") for month, _n in figures["started_per_month"]]
    started_cells, started_total = suppress([n for _m, n in figures["started_per_month"]])
    found_cells, found_total = suppress([n for _m, n in figures["found_per_month"]])

    funnel_cells = [
        count_cell(figures["referred"]),
        started_total,
        count_cell(figures["asked"]),
        found_total,
        count_cell(figures["trial"]),
        count_cell(figures["active"]),
    ]
    funnel = Table(
        "funnel",
        _("From referral to an active triad"),
        count_rows(
            [
                _("Youths referred"),
                _("Searches started"),
                _("Candidates asked"),
                _("JIM found"),
                _("Trial started"),
                _("Active"),
            ],
            funnel_cells,
        ),
        note=_(
            "Each step counts what happened in the period, by its own date: the referral date, the start of "
            "the search, the first time a candidate was asked, the day the JIM was chosen, the start of the "
            "trial, the day the triad became active."
        ),
    )

    (found, stopped), ended = suppress([figures["cohort_found"], figures["cohort_stopped"]])
    share_shown, share_difference = "—", ""
    if not (found.suppressed or stopped.suppressed or ended.suppressed) and ended.value:
        share = 100 * found.value / ended.value
        share_shown = f"{number(share)} %"
        share_difference = _("%(value)s percentage points") % {"value": signed(share - BENCHMARK_SHARE)}
    days_known = found.value >= THRESHOLD
    mean, median = figures["mean_days"], figures["median_days"]
    outcome = Table(
        "outcome",
        _("Searches started in the period and ended: how many found a JIM"),
        [
            Row(_("Ended with a JIM"), found.shown, cell=found),
            Row(_("Stopped without a JIM"), stopped.shown, cell=stopped),
            Row(_("Ended searches"), ended.shown, cell=ended),
            Row(
                _("Share that found a JIM"),
                share_shown,
                benchmark=f"{BENCHMARK_SHARE} %",
                difference=share_difference,
            ),
            Row(
                _("Days to a JIM, mean"),
                number(mean) if days_known else "—",
                benchmark=str(BENCHMARK_MEAN_DAYS),
                difference=_("%(value)s days") % {"value": signed(mean - BENCHMARK_MEAN_DAYS)}
                if days_known
                else "",
            ),
            Row(
                _("Days to a JIM, median"),
                number(median) if days_known else "—",
                benchmark=_("not published"),
            ),
        ],
        note=_(
            "The YIM study: %(share)s %% of youths nominated a mentor, after %(days)s days on average "
            "(%(source)s). A search that started before the period counts in the funnel when its JIM was "
            "found in the period, but not here. Days are shown from 5 searches with a JIM."
        )
        % {"share": BENCHMARK_SHARE, "days": BENCHMARK_MEAN_DAYS, "source": BENCHMARK_SOURCE},
        benchmark=True,
    )

    day_cells, _day_total = suppress([figures[f"days_{i}"] for i in range(len(selectors.DAY_BUCKETS))])
    if found.suppressed:
        # The histogram's cells add up to the searches with a JIM, which the table above hides.
        day_cells = [Cell(c.value, c.shown if c.value == 0 or c.suppressed else HIDDEN) for c in day_cells]
    histogram = Table(
        "days",
        _("Days from the start of the search to a JIM"),
        count_rows([label for label, _low, _high in selectors.DAY_BUCKETS], day_cells),
    )

    open_cells, open_total = suppress(
        [figures["open_under_60"], figures["open_60_90"], figures["open_over_90"]]
    )
    open_searches = Table(
        "open",
        _("Searches still open on %(date)s") % {"date": date_format(filters.date_to, "SHORT_DATE_FORMAT")},
        [
            *count_rows(
                [
                    _("under %(days)d days") % {"days": Search.WARN_DAYS},
                    _("%(warn)d–%(limit)d days") % {"warn": Search.WARN_DAYS, "limit": Search.LIMIT_DAYS},
                    _("over %(days)d days") % {"days": Search.LIMIT_DAYS},
                ],
                open_cells,
            ),
            Row(_("Open searches"), open_total.shown, cell=open_total),
        ],
        extra={
            "over_90": figures["over_90"],
            "over_90_more": max(0, figures["open_over_90"] - len(figures["over_90"])),
            "over_90_since": filters.date_to - datetime.timedelta(days=Search.LIMIT_DAYS),
            "limit_days": Search.LIMIT_DAYS,
        },
    )

    trend = Table(
        "trend",
        _("Searches started and JIMs found per month"),
        [
            Row(label, started.shown, second=found_month.shown, cell=started, second_cell=found_month)
            for label, started, found_month in zip(month_labels, started_cells, found_cells, strict=True)
        ],
        extra={"found_cells": found_cells, "started_cells": started_cells},
    )
    return {
        "tables": [funnel, outcome, histogram, open_searches, trend],
        "by_key": {t.key: t for t in (funnel, outcome, histogram, open_searches, trend)},
        "month_labels": month_labels,
    }
