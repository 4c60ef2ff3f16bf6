"""Draw the youth's network as an SVG picture on the server: no JavaScript, printable, accessible.

The youth sits in the centre; the network in three rings by closeness as the youth sees it. Candidates in
the open search and the chosen JIM(s) stand out by colour *and* by shape (dashed or double ring), so the
picture still reads when printed in black and white. Every piece of text is escaped by format_html.
"""

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import NetworkMember
from .selectors import topics_in_use

WIDTH, HEIGHT = 800, 790
CX, CY = 400, 345
RINGS = (
    (NetworkMember.Closeness.CLOSE, 110),
    (NetworkMember.Closeness.MIDDLE, 200),
    (NetworkMember.Closeness.FURTHER, 290),
)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

STYLE = {
    "member": {"fill": "#ffffff", "stroke": "#6c757d", "width": "2", "dash": "none", "r": 9},
    "candidate": {"fill": "#ffe8a3", "stroke": "#b35c00", "width": "4", "dash": "5 3", "r": 12},
    "jim": {"fill": "#2e8b57", "stroke": "#0f5132", "width": "4", "dash": "none", "r": 12},
}


def _node(x, y, kind):
    style = STYLE[kind]
    parts = [
        format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="{}" stroke-dasharray="{}"/>',
            f"{x:.1f}",
            f"{y:.1f}",
            style["r"],
            style["fill"],
            style["stroke"],
            style["width"],
            style["dash"],
        )
    ]
    if kind == "jim":
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="2"/>',
                f"{x:.1f}",
                f"{y:.1f}",
                style["r"] + 6,
                style["stroke"],
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part came from format_html


def topics_of(member):
    """The member's topics as " — school, home" (prefetched by selectors.network_of), or "" without any."""
    names = [str(topic) for topic in member.topics.all()]
    return f" — {', '.join(names)}" if names else ""


def network_map_svg(
    *, youth, members, candidate_ids=(), chosen_ids=(), id_prefix="network-map", standalone=False
):
    """Return the SVG markup (safe) of the youth's network map."""
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    title = _("Network map of %(name)s") % {"name": youth.first_name}
    by_ring = {closeness: [] for closeness, _radius in RINGS}
    for member in members:
        by_ring.get(member.closeness, by_ring[NetworkMember.Closeness.FURTHER]).append(member)

    def kind_of(member):
        if member.pk in chosen_ids:
            return "jim"
        if member.pk in candidate_ids:
            return "candidate"
        return "member"

    kind_labels = {"member": "", "candidate": _("candidate"), "jim": _("chosen JIM")}

    desc_parts = []
    rings, lines, nodes = [], [], []
    for index, (closeness, radius) in enumerate(RINGS):
        rings.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="none" stroke="#c5d3d2" stroke-width="1.5" '
                'stroke-dasharray="6 5" class="ring ring-{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="#6c757d" font-style="italic">{}</text>',
                CX,
                CY,
                radius,
                closeness,
                f"{CX + radius * 0.72:.1f}",
                f"{CY + radius * 0.72:.1f}",
                closeness.label,
            )
        )
        ring_members = by_ring[closeness]
        names = [
            f"{m.name} ({m.get_relation_display()}{', ' + kind_labels[kind_of(m)] if kind_of(m) != 'member' else ''})"
            + topics_of(m)
            for m in ring_members
        ]
        desc_parts.append(f"{closeness.label}: {', '.join(names) if names else '—'}")
        count = len(ring_members)
        for i, member in enumerate(ring_members):
            # Stagger the rings so neighbours in different rings do not stack on one line.
            angle = math.radians(-90 + index * 23 + 360 * i / max(count, 1))
            x, y = CX + radius * math.cos(angle), CY + radius * math.sin(angle)
            kind = kind_of(member)
            lines.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dee2e6" stroke-width="1"/>',
                    CX,
                    CY,
                    f"{x:.1f}",
                    f"{y:.1f}",
                )
            )
            label_weight = "bold" if kind != "member" else "normal"
            nodes.append(
                format_html(
                    '<g class="member member-{}"><title>{}</title>{}'
                    '<text x="{}" y="{}" text-anchor="middle" font-size="13" font-weight="{}" fill="#212529">{}</text>'
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#495057">{}</text></g>',
                    kind,
                    names[i],
                    _node(x, y, kind),
                    f"{x:.1f}",
                    f"{y + 27:.1f}",
                    label_weight,
                    Truncator(member.name).chars(24),
                    f"{x:.1f}",
                    f"{y + 41:.1f}",
                    Truncator(member.get_relation_display()).chars(26),
                )
            )

    desc = _("%(name)s in the centre; the network in three rings by closeness. %(rings)s.") % {
        "name": youth.first_name,
        "rings": "; ".join(desc_parts),
    }
    centre = format_html(
        '<g class="youth"><circle cx="{}" cy="{}" r="38" fill="#1f5f5b"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="14" font-weight="bold" fill="#ffffff">{}</text></g>',
        CX,
        CY,
        CX,
        CY + 5,
        Truncator(youth.first_name).chars(12),
    )
    empty = ""
    if not members:
        empty = format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="#495057">{}</text>',
            CX,
            CY + 70,
            _("No one in the network yet."),
        )
    legend_y = HEIGHT - 60
    legend_items = [("member", _("network member")), ("candidate", _("candidate")), ("jim", _("chosen JIM"))]
    legend = format_html_join(
        "",
        '<g class="legend-item">{}<text x="{}" y="{}" font-size="13" fill="#212529">{}</text></g>',
        (
            (_node(60 + 250 * i, legend_y + 20, kind), 60 + 250 * i + 24, legend_y + 25, label)
            for i, (kind, label) in enumerate(legend_items)
        ),
    )
    # Who for what: one printed line per topic someone carries (the same topics are in each tooltip).
    who_for_what = [
        (topic, [m.name for m in members if topic in m.topics.all()]) for topic in topics_in_use(members)
    ]
    height = HEIGHT + (30 + 20 * len(who_for_what) if who_for_what else 0)
    topic_legend = ""
    if who_for_what:
        topic_legend = format_html(
            '<g class="legend-topics"><text x="40" y="{}" font-size="13" font-weight="bold" fill="#212529">{}</text>{}</g>',
            HEIGHT + 4,
            _("Who for what"),
            format_html_join(
                "",
                '<text x="40" y="{}" font-size="12" fill="#212529" class="legend-topic">{}: {}</text>',
                (
                    (HEIGHT + 24 + 20 * i, topic, Truncator(", ".join(names)).chars(110))
                    for i, (topic, names) in enumerate(who_for_what)
                ),
            ),
        )
    header = mark_safe('<?xml version="1.0" encoding="UTF-8"?>\n') if standalone else ""  # noqa: S308
    return format_html(
        '{}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}" aria-labelledby="{} {}" font-family="{}" class="network-map-svg">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>'
        '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>'
        "{}{}{}{}{}"
        '<g class="legend"><text x="40" y="{}" font-size="13" font-weight="bold" fill="#212529">{}</text>{}</g>'
        "{}</svg>",
        header,
        WIDTH,
        height,
        title,
        title_id,
        desc_id,
        FONT,
        title_id,
        title,
        desc_id,
        desc,
        WIDTH,
        height,
        mark_safe("".join(rings)),  # noqa: S308 - built with format_html above
        mark_safe("".join(lines)),  # noqa: S308
        centre,
        mark_safe("".join(nodes)),  # noqa: S308
        empty,
        legend_y - 8,
        _("Legend"),
        legend,
        topic_legend,
    )
