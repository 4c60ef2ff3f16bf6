"""The reports phase (issue 13: every coordinator's report answers in under a second)."""

import collections
import datetime
import os
import statistics
import subprocess
import time
import urllib.parse

from common import COORDINATOR, ROOT, login, machine, replace_section
from django.db import connection
from django.db.models import Count

from jimcase.models import Team, User, Youth

# --- The coordinators' reports (issue 13: "answer in under a second") ----------------------------------

REPORT_LIMIT_MS = 1000


def report_targets():
    """Every report of `reports.views.REPORTS` for the benchmark's coordinator, three ways: the page with
    the default filters (the 12 months up to today), the page filtered on the team of her organisation with
    the most youths, and the CSV with the default filters."""
    from reports.views import REPORTS

    coordinator = User.objects.get(username=COORDINATOR)
    team = (
        Team.objects.filter(organisation=coordinator.organisation_id)
        .annotate(n=Count("youths"))
        .order_by("-n", "pk")
        .first()
    )
    if team is None:
        raise SystemExit(f"{COORDINATOR}'s organisation has no team: no team filter to measure.")
    variants = [("page", "", {}), ("page, one team", "", {"team": str(team.pk)}), ("CSV", "csv/", {})]
    return {
        "coordinator": coordinator,
        "organisation_youths": Youth.objects.filter(organisation=coordinator.organisation_id).count(),
        "team": team,
        "targets": [
            (spec, variant, f"/admin/reports/{spec.path}/{suffix}", data)
            for spec in REPORTS
            for variant, suffix, data in variants
        ],
    }


def report_queries(spec, user, data):
    """The SQL statements of the report's build function for these filters, in-process on the same data:
    how many, and the slowest (ms). The CSV builds the same report as the page."""
    from django.test.utils import CaptureQueriesContext

    from reports.forms import ReportFilterForm

    form = ReportFilterForm(data, user=user)
    if not form.is_valid():
        raise SystemExit(f"The filters {data} are refused: {form.errors.as_text()}")
    filters = form.filters()
    spec.build(filters)  # warm, as the timed requests are
    with CaptureQueriesContext(connection) as queries:
        spec.build(filters)
    return len(queries), max((float(q["time"]) * 1000 for q in queries.captured_queries), default=0.0)


def timed_get(client, path, warmup, runs):
    """`warmup` untimed then `runs` timed requests, one after the other: latencies (ms), statuses and the
    last answer's text."""
    latencies, statuses = [], collections.Counter()
    for n in range(warmup + runs):
        began = time.perf_counter()
        status, location, text = client.request("GET", path, timeout=60)
        elapsed = (time.perf_counter() - began) * 1000
        if "/accounts/login/" in location or "second-factor" in location:
            raise SystemExit(f"{path} sent the coordinator to {location!r}: not measured.")
        if n >= warmup:
            latencies.append(elapsed)
            statuses[status] += 1
    return latencies, statuses, text


def phase_reports(args):
    info = report_targets()
    info["load_before"] = os.getloadavg()
    client = login(args.base, COORDINATOR)
    rows = []
    for spec, variant, path, data in info["targets"]:
        path += f"?{urllib.parse.urlencode(data)}" if data else ""
        latencies, statuses, text = timed_get(client, path, args.warmup, args.runs)
        if "team" in data and f'<option value="{data["team"]}" selected>' not in text:
            raise SystemExit(f"{path} did not apply the team filter: not measured.")
        queries, slowest = report_queries(spec, info["coordinator"], data)
        row = {
            "report": spec.path,
            "variant": variant,
            "path": path,
            "median": statistics.median(latencies),
            "max": max(latencies),
            "statuses": statuses,
            "queries": queries,
            "slowest": slowest,
        }
        rows.append(row)
        print(
            f"{spec.path:<12} {variant:<15} median {row['median']:7.1f} ms  max {row['max']:7.1f} ms  "
            f"HTTP {' '.join(f'{s}×{n}' for s, n in sorted(statuses.items()))}  {queries} queries "
            f"(slowest {slowest:.1f} ms)",
            flush=True,
        )
    info["load_after"] = os.getloadavg()
    verdicts = report_verdicts(rows)
    for line in verdicts:
        print(line)
    write_reports(args, info, rows, verdicts)
    ok = all(set(r["statuses"]) == {200} and r["max"] < REPORT_LIMIT_MS for r in rows)
    return 0 if ok else 1


def report_verdicts(rows):
    """One line per report: under a second (every timed request of its three variants) or not."""
    lines = []
    for report in dict.fromkeys(r["report"] for r in rows):
        own = [r for r in rows if r["report"] == report]
        worst = max(own, key=lambda r: r["max"])
        failed = [r["variant"] for r in own if set(r["statuses"]) != {200}]
        under = worst["max"] < REPORT_LIMIT_MS and not failed
        lines.append(
            f"{report}: {'under 1 s' if under else 'NOT under 1 s'} (slowest: {worst['variant']}, median "
            f"{worst['median']:.0f} ms, max {worst['max']:.0f} ms)"
            + (f"; not HTTP 200: {', '.join(failed)}" if failed else "")
        )
    return lines


def write_reports(args, info, rows, verdicts):
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True)
    team = info["team"]
    key = f"reports-scale={args.scale}"
    lines = [
        f"<!-- bench:{key} -->",
        f"### Reports at {args.scale:,} scale youths".replace(",", " "),
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; code: `{commit.stdout.strip()}`"
        + (" (with uncommitted changes)" if dirty.stdout.strip() else ""),
        f"- machine: {machine()}; load average (1, 5, 15 min) before "
        f"{' '.join(f'{x:.1f}' for x in info['load_before'])}, after {' '.join(f'{x:.1f}' for x in info['load_after'])}",
        f"- data: {Youth.objects.count()} youths; {COORDINATOR}'s organisation {info['organisation_youths']}; "
        f'the team filter: "{team.name}" (id {team.pk}, {team.n} youths, the largest team of the organisation)',
        f"- method: gunicorn, 2 sync workers, DEBUG off, DJANGO_ENV=production; logged in through the login "
        f"form as {COORDINATOR} (second factor verified); per report the page with the default filters "
        f"(the 12 months up to today), the page filtered on the team, and the CSV; each requested one after "
        f"the other, {args.warmup} warm-up + {args.runs} timed, the whole request as the client sees it. "
        f"Queries: the report's build function in-process (CaptureQueriesContext) on the same data, with the "
        f"slowest statement's time there.",
        "",
        "| report | variant | median | max | HTTP | queries | slowest query |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        slow = " ⚠ ≥ 1 s" if row["max"] >= REPORT_LIMIT_MS else ""
        lines.append(
            f"| {row['report']} | {row['variant']} | {row['median']:.0f} ms | {row['max']:.0f} ms{slow} | "
            f"{' '.join(f'{s}×{n}' for s, n in sorted(row['statuses'].items()))} | {row['queries']} | "
            f"{row['slowest']:.0f} ms |"
        )
    lines += ["", *(f"- {line}" for line in verdicts), "", f"<!-- /bench:{key} -->"]
    replace_section(args.out, key, "\n".join(lines))
    print(f"Written to {args.out}")
