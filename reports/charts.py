"""Charts drawn on the server as SVG: no JavaScript, printable, and accessible (a title, a description, and
the same numbers in the table beside each chart). A chart draws the number shown (a rounded youth count),
never the true count behind it; a hidden count ("< 5", "x") is never drawn: its bar or point is left out and
its label says why. Every piece of text is escaped by format_html."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
BAR = "#1f5f5b"
SECOND = "#b35c00"
INK = "#212529"
MUTED = "#6c757d"


def _svg(*, id_prefix, title, desc, width, height, body):
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{} {}" font-family="{}" class="report-chart">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>{}</svg>',
        width,
        height,
        title_id,
        desc_id,
        FONT,
        title_id,
        title,
        desc_id,
        desc,
        width,
        height,
        body,
    )


def _describe(rows):
    return "; ".join(f"{label}: {shown}" for label, shown in rows)


def _scale(cells):
    """The largest count drawn (at least 1, so that an empty chart draws no bar at all)."""
    return max([cell.number for cell in cells if not cell.suppressed] + [1])


def bar_chart(*, id_prefix, title, labels, cells, horizontal=True):
    """Bars, one per cell: horizontal (the funnel) or vertical (a histogram)."""
    top = _scale(cells)
    desc = _describe(zip(labels, (cell.shown for cell in cells), strict=True))
    parts = []
    if horizontal:
        width, row, left, bar_room = 720, 40, 200, 440
        height = row * len(cells) + 20
        for i, (label, cell) in enumerate(zip(labels, cells, strict=True)):
            y = 10 + i * row
            length = 0 if cell.suppressed else round(bar_room * cell.number / top, 1)
            parts.append(
                format_html(
                    '<g class="bar"><text x="{}" y="{}" text-anchor="end" font-size="14" fill="{}">{}</text>'
                    '<rect x="{}" y="{}" width="{}" height="26" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="14" font-weight="bold" fill="{}">{}</text></g>',
                    left - 10,
                    y + 18,
                    INK,
                    label,
                    left,
                    y,
                    length,
                    BAR,
                    left + length + 8,
                    y + 18,
                    INK,
                    cell.shown,
                )
            )
    else:
        column, bottom, bar_room = 100, 230, 190
        width, height = column * len(cells) + 40, 280
        for i, (label, cell) in enumerate(zip(labels, cells, strict=True)):
            x = 30 + i * column
            length = 0 if cell.suppressed else round(bar_room * cell.number / top, 1)
            parts.append(
                format_html(
                    '<g class="bar"><rect x="{}" y="{}" width="70" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="{}">{}</text>'
                    '<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="{}">{}</text></g>',
                    x,
                    bottom - length,
                    length,
                    BAR,
                    x + 35,
                    bottom - length - 6,
                    INK,
                    cell.shown,
                    x + 35,
                    bottom + 20,
                    INK,
                    label,
                )
            )
        parts.append(
            format_html(
                '<line x1="20" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
                bottom,
                width - 10,
                bottom,
                MUTED,
            )
        )
    return _svg(
        id_prefix=id_prefix,
        title=title,
        desc=desc,
        width=width,
        height=height,
        body=mark_safe("".join(parts)),  # noqa: S308 - every part came from format_html
    )


def _segments(points):
    """Runs of consecutive drawn points: a hidden month breaks the line rather than guessing its value."""
    runs, run = [], []
    for point in points:
        if point is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(point)
    if run:
        runs.append(run)
    return runs


def line_chart(*, id_prefix, title, labels, series):
    """One line per series: (name, cells, colour); months along the bottom."""
    width, height, left, bottom, top_margin = 760, 300, 70, 240, 20
    step = (width - left - 20) / max(len(labels) - 1, 1)
    top = max(_scale(cells) for _name, cells, _colour in series)
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
            '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">0</text>',
            left,
            bottom,
            width - 10,
            bottom,
            MUTED,
            left - 6,
            top_margin + 4,
            MUTED,
            top,
            left - 6,
            bottom + 4,
            MUTED,
        )
    ]
    for i, label in enumerate(labels):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}" '
                'transform="rotate(-45 {} {})">{}</text>',
                round(left + i * step, 1),
                bottom + 16,
                INK,
                round(left + i * step, 1),
                bottom + 16,
                label,
            )
        )
    desc_parts = []
    for index, (name, cells, colour) in enumerate(series):
        points = [
            None
            if cell.suppressed
            else (round(left + i * step, 1), round(bottom - (bottom - top_margin) * cell.number / top, 1))
            for i, cell in enumerate(cells)
        ]
        for run in _segments(points):
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"{}/>',
                    " ".join(f"{x},{y}" for x, y in run),
                    colour,
                    mark_safe(' stroke-dasharray="7 4"') if index else "",  # noqa: S308 - a constant
                )
            )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
                ((x, y, colour) for x, y in (p for p in points if p is not None)),
            )
        )
        legend_y = 20 + 18 * index
        parts.append(
            format_html(
                '<g class="legend-item"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"{}/>'
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text></g>',
                width - 220,
                legend_y,
                width - 190,
                legend_y,
                colour,
                mark_safe(' stroke-dasharray="7 4"') if index else "",  # noqa: S308 - a constant
                width - 184,
                legend_y + 4,
                INK,
                name,
            )
        )
        desc_parts.append(
            f"{name}: "
            + ", ".join(f"{label} {cell.shown}" for label, cell in zip(labels, cells, strict=True))
        )
    return _svg(
        id_prefix=id_prefix,
        title=title,
        desc=". ".join(desc_parts),
        width=width,
        height=height,
        body=mark_safe("".join(str(p) for p in parts)),  # noqa: S308 - every part came from format_html
    )


def rows_chart(rows, *, id_prefix, title, horizontal=True):
    """A bar chart of a table's rows (without its total): each row's label and cell."""
    return bar_chart(
        id_prefix=id_prefix,
        title=title,
        labels=[row.label for row in rows],
        cells=[row.cell for row in rows],
        horizontal=horizontal,
    )


def funnel_charts(report):
    """The three charts of the wie-vraag report."""
    tables = report["by_key"]
    funnel, days, trend = tables["funnel"], tables["days"], tables["trend"]
    return {
        "funnel": bar_chart(
            id_prefix="chart-funnel",
            title=_("Funnel: from referral to an active triad"),
            labels=[row.label for row in funnel.rows],
            cells=[row.cell for row in funnel.rows],
        ),
        "days": bar_chart(
            id_prefix="chart-days",
            title=_("Days to a JIM (searches started in the period)"),
            labels=[row.label for row in days.rows],
            cells=[row.cell for row in days.rows],
            horizontal=False,
        ),
        "trend": line_chart(
            id_prefix="chart-trend",
            title=_("Searches started and JIMs found per month"),
            labels=report["month_labels"],
            series=[
                (_("Searches started"), trend.extra["started_cells"], BAR),
                (_("JIM found"), trend.extra["found_cells"], SECOND),
            ],
        ),
    }


def triads_charts(report):
    """The chart of the triads report: ended triads by reason."""
    reasons = report["by_key"]["reasons"]
    rows = reasons.rows[:-1]  # the last row is the total
    return {
        "reasons": rows_chart(
            rows, id_prefix="chart-reasons", title=_("Triads ended in the period, by reason")
        )
    }


def outcomes_charts(report):
    """The chart of the outcomes report: what became of the youths for whom a placement was considered."""
    placement = report["by_key"]["placement"]
    columns = placement.extra["columns"]
    _label, cells, _total = placement.extra["matrix"][0]  # placement considered: yes
    return {
        "placement": bar_chart(
            id_prefix="chart-placement",
            title=_("Out-of-home placement considered at referral: the outcome at closure"),
            labels=columns,
            cells=cells,
        )
    }


def followup_charts(report):
    """The chart of the follow-up report: open fallback requests by days waiting."""
    rows = report["by_key"]["requests"].rows[:3]  # without the total and the urgent ones
    return {
        "requests": rows_chart(
            rows,
            id_prefix="chart-requests",
            title=_("Open fallback requests by days waiting"),
            horizontal=False,
        )
    }


def consent_charts(report):
    """The chart of the consent report: the triads by the state of their consent."""
    rows = report["by_key"]["state"].rows[:-1]  # the last row is the total
    return {
        "state": rows_chart(
            rows,
            id_prefix="chart-consent",
            title=_("Parental consent of the triads not ended on the period's last day"),
        )
    }


def capacity_charts(report):
    """The chart of the capacity report: who the JIMs from the youth's own network are."""
    rows = report["by_key"]["relations"].rows[:-1]  # the last row is the total
    return {
        "relations": rows_chart(
            rows,
            id_prefix="chart-relations",
            title=_("JIMs from the youth's own network, by their relation to the youth"),
        )
    }
