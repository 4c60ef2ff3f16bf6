"""Report 6: capacity and fidelity, with the trainings."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentors.models import NetworkMember

from .. import selectors
from ..rules import THRESHOLD, count_cell, exact_cell, suppress
from .tables import (
    Row,
    Table,
    count_rows,
    hide_all_if,
    hide_total,
    number,
)


def capacity_report(filters):
    """Report 6, capacity and fidelity: the caseloads per team and professional, the JIMs (active, from the
    youth's own network, serving more than one youth), the professionals' JIM training and the peer network's
    meetings."""
    figures = selectors.capacity_figures(filters)
    end = date_format(filters.date_to, "SHORT_DATE_FORMAT")

    # Per team: each professional's caseload and the team's total; the teams' totals add up to the whole.
    teams = {}
    for team, lead, n in figures["caseloads"]:
        teams.setdefault(team, []).append((lead, n))
    per_team = [(team, *suppress([n for _lead, n in leads])) for team, leads in teams.items()]
    team_totals, everyone = suppress([total.value for _team, _cells, total in per_team])
    rows = []
    for (team, leads), (_team, cells, total), shown_total in zip(
        teams.items(), per_team, team_totals, strict=True
    ):
        if shown_total.suppressed and not total.suppressed:
            # The team's total is hidden so that the whole does not give a small team away; the
            # professionals' caseloads add up to it, so they go too.
            cells, total = hide_all_if(cells, True), hide_total(total)
        team_label = team or _("no team")
        rows += [
            Row(f"{team_label}: {lead}", cell.shown, cell=cell)
            for (lead, _n), cell in zip(leads, cells, strict=True)
        ]
        rows.append(
            Row(
                _("%(team)s: total (%(n)s professionals)") % {"team": team_label, "n": len(leads)},
                total.shown,
                cell=total,
            )
        )
    if any(total.suppressed and total.value >= THRESHOLD for _team, _cells, total in per_team):
        # A team's total was hidden to protect its small caseloads: the whole would give it back.
        everyone = hide_total(everyone)
    rows.append(Row(_("Youths with a lead professional"), everyone.shown, cell=everyone))
    caseloads = Table(
        "caseloads",
        _("Caseloads on %(date)s: youths per lead professional, by the youth's team") % {"date": end},
        rows,
        note=_("A professional who leads youths of two teams shows in both."),
    )

    triads = figures["triads"]
    own_cells, network_total = suppress([figures["own_network"], triads - figures["own_network"]])
    jims = Table(
        "jims",
        _("The JIMs of the triads that ran in the period"),
        [
            Row(
                _("JIMs active on %(date)s") % {"date": end},
                (c := count_cell(figures["jims_active"])).shown,
                cell=c,
            ),
            Row(
                _("of whom in the JIM network"),
                (c := count_cell(figures["jims_peer_network"])).shown,
                cell=c,
            ),
            *count_rows(
                [_("Triads with a JIM from the youth's own network"), _("Triads with a JIM from elsewhere")],
                own_cells,
            ),
            Row(_("Triads that ran in the period"), network_total.shown, cell=network_total),
            Row(
                _("JIMs of more than one youth"),
                (c := count_cell(figures["jims_several_youths"])).shown,
                cell=c,
            ),
        ],
        note=_(
            "A triad ran in the period when its trial started by the period's last day and it had not ended "
            "before the first. From the youth's own network: the JIM is a person on the youth's network map."
        ),
    )

    relation_cells, own_total = suppress([figures[f"relation_{r}"] for r in selectors.RELATIONS])
    if own_cells[0].suppressed or own_total.suppressed:
        # The relations add up to the count above, which hides it: hide every count of 5 or more too (a
        # "< 5" stays "< 5": "x" says 5 or more, and must not say it of a smaller count).
        relation_cells = hide_all_if(relation_cells, True)
    own_total = own_cells[0]
    relations = Table(
        "relations",
        _("JIMs from the youth's own network, by their relation to the youth"),
        [
            *count_rows([label for _value, label in NetworkMember.Relation.choices], relation_cells),
            Row(_("Triads with a JIM from the youth's own network"), own_total.shown, cell=own_total),
        ],
    )

    training = _training_table(figures, end)

    meetings = figures["meetings"]
    attendances = figures["attendances"]
    peer = Table(
        "peer",
        _("The JIM network's meetings in the period"),
        [
            Row(_("Meetings"), meetings),
            Row(_("Attendances"), attendances),
            Row(_("Attendances per meeting, mean"), number(attendances / meetings) if meetings else "—"),
            # The JIM network is the organisation's activity, not a count of youths: exact.
            Row(
                _("JIMs who came at least once"),
                (c := exact_cell(figures["attending_jims"])).shown,
                cell=c,
            ),
        ],
        note=_(
            "The JIM network belongs to the organisation: the team and professional filters do not apply "
            "to it."
        ),
    )
    tables = [caseloads, jims, relations, training, peer]
    return {"tables": tables, "by_key": {t.key: t for t in tables}}


def _training_table(figures, end):
    """Fidelity: how many of the professionals have a JIM training, by kind, and their share."""
    # Professionals are staff, not youths: their counts are exact, and so is the share.
    cells, professionals = suppress(
        [figures["trained_method"], figures["trained_own_only"], figures["untrained"]], exact=True
    )
    share = "—"
    if professionals.value:
        share = f"{number(100 * (cells[0].value + cells[1].value) / professionals.value)} %"
    return Table(
        "training",
        _("Training of the professionals on %(date)s") % {"date": end},
        [
            *count_rows(
                [
                    _("Trained by the method's trainers (JIM training, 2.5 days)"),
                    _("Trained by the organisation's own training only"),
                    _("Not trained yet"),
                ],
                cells,
            ),
            Row(_("Professionals"), professionals.shown, cell=professionals),
            Row(_("Share trained"), share),
        ],
        note=_(
            "Professionals: the active accounts with the professional role that existed on the period's last "
            "day (of the chosen team or professional). Trained: a training completed by that day, as the "
            "coordinator recorded it on the person's page in the admin; someone with both kinds counts under "
            "the method's training."
        ),
    )
