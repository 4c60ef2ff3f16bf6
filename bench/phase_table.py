"""The table phase: every page against the floor with wrk, and the query plans."""

import datetime
import os
import re
import statistics
import subprocess

from common import COORDINATOR, PROFESSIONAL, ROOT, login, machine, replace_section
from django.db import connection

from jimcase.models import Note, User, Youth
from jimcase.selectors import caseload_for
from triads.models import Triad
from triads.selectors import triads_of_mentor

# --- What to measure ---------------------------------------------------------------------------------


def targets():
    """The pages of the issue's table, for the benchmark's users, found in the data."""
    anna = User.objects.get(username=PROFESSIONAL)
    own = Youth.objects.filter(
        assignments__professional=anna, assignments__role="lead", assignments__ends_on__isnull=True
    )
    youth = own.filter(case_number__regex=r"^S\d+-").order_by("pk").first() or own.order_by("pk").first()
    triad = Triad.objects.filter(youth__in=own).exclude(status=Triad.Status.ENDED).order_by("-pk").first()
    jim = User.objects.filter(username__startswith="scale.jim").order_by(
        "username"
    ).first() or User.objects.get(username="jim.wilma")
    jim_triad = triads_of_mentor(jim).get()
    return {
        "users": {"professional": anna.username, "jim": jim.username, "coordinator": COORDINATOR},
        "pages": [
            ("caseload, first page", "professional", "/youths/caseload/", 200),
            ("caseload, filtered", "professional", "/youths/caseload/?q=e&stage=searching", 200),
            ("a youth's file", "professional", f"/youths/{youth.pk}/", 200),
            ("the triad page (professional)", "professional", f"/triads/{triad.pk}/", 200),
            ('the JIM\'s "Mijn triade"', "jim", f"/triads/mine/{jim_triad.pk}/", 200),
            ("`/triads/mine/` (redirect)", "jim", "/triads/mine/", 302),
            ("admin youth list (coordinator)", "coordinator", "/admin/jimcase/youth/", 200),
            ("admin triad list", "coordinator", "/admin/triads/triad/", 200),
        ],
        "caseload_size": own.count(),
    }


def check_page(client, path, expected):
    status, location, text = client.request("GET", path)
    if status != expected or "/accounts/login/" in location or "second-factor" in location:
        raise SystemExit(f"{path} answered {status} {location!r}, expected {expected}: not measured.")
    return len(text)


def wrk(base, path, cookie, duration, connections):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", out).group(1)) for p in ("50", "99")}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": int(bad.group(1)) if bad else 0,
        "socket": socket.group(0) if socket else "",
    }


def _ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def query_counts(info):
    """How many SQL statements each page runs, through Django's test client on the same database."""
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    clients = {}
    for role, username in info["users"].items():
        user = User.objects.get(username=username)
        client = DjangoClient()
        client.force_login(user)
        if role == "coordinator":
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
            session.save()
        clients[role] = client
    counts = {}
    for label, role, path, expected in info["pages"]:
        clients[role].get(path)  # warm: the first request of a session does more
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(path)
        counts[label] = len(queries) if response.status_code == expected else None
    return counts


def explain_caseload():
    anna = User.objects.get(username=PROFESSIONAL)
    plans = {}
    for label, qs in (
        ("caseload page (hv.anna, first 25)", caseload_for(anna)[:25]),
        (
            "caseload filtered (hv.anna, q=e, stage=searching)",
            caseload_for(anna, q="e", stage="searching")[:25],
        ),
    ):
        plans[label] = qs.explain(analyze=True, buffers=True)
    # The paginator's COUNT, as Django runs it.
    sql, params = caseload_for(anna).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM ({sql}) AS subquery", params)  # noqa: S608
        plans["caseload count (paginator)"] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


def phase_table(args):
    info = targets()
    info["load_before"] = os.getloadavg()
    clients = {role: login(args.base, username) for role, username in info["users"].items()}
    rows = []
    for label, role, path, expected in info["pages"]:
        size = check_page(clients[role], path, expected)
        rows.append(
            {"label": label, "role": role, "path": path, "expected": expected, "bytes": size, "runs": []}
        )
    floors = []
    for rep in range(args.reps):
        for row in rows:
            floor = wrk(args.base, "/healthz/", "", args.duration, args.connections)
            page = wrk(
                args.base, row["path"], clients[row["role"]].cookie_header(), args.duration, args.connections
            )
            floors.append(floor)
            row["runs"].append({"floor": floor, "page": page, "share": page["rps"] / floor["rps"]})
            print(
                f"rep {rep + 1} {row['label']:<34} {page['rps']:8.1f} req/s  floor {floor['rps']:8.1f}  "
                f"share {100 * page['rps'] / floor['rps']:5.1f} %  p50 {page['p50']:.1f} ms  p99 {page['p99']:.1f} ms"
                + (f"  NON-2XX/3XX {page['errors']}" if page["errors"] else ""),
                flush=True,
            )
    for row in rows:  # still logged in at the end: the numbers were not login redirects
        check_page(clients[row["role"]], row["path"], row["expected"])
    info["load_after"] = os.getloadavg()
    write_table(args, info, rows, floors, explain_caseload(), query_counts(info))


def write_table(args, info, rows, floors, plans, queries):
    med = statistics.median
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True)
    counts = {
        "youths": Youth.objects.count(),
        "professionals": User.objects.in_role("hulpverlener").count(),
        "triads": Triad.objects.count(),
        "notes": Note.objects.count(),
    }
    lines = [
        f"<!-- bench:scale={args.scale} -->",
        f"## {args.scale:,} scale youths".replace(",", " "),
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; code: `{commit.stdout.strip()}`"
        + (" (with uncommitted changes)" if dirty.stdout.strip() else ""),
        f"- machine: {machine()}; load average (1, 5, 15 min) before "
        f"{' '.join(f'{x:.1f}' for x in info['load_before'])}, after {' '.join(f'{x:.1f}' for x in info['load_after'])}"
        " (anything else running on the machine shifts the numbers; the share of the floor less so)",
        f"- data: {counts['youths']} youths, {counts['professionals']} professionals, {counts['triads']} triads, "
        f"{counts['notes']} notes; {info['users']['professional']} leads {info['caseload_size']} youths",
        f"- users: {info['users']['professional']} (professional), {info['users']['jim']} (JIM, one triad), "
        f"{info['users']['coordinator']} (coordinator, second factor verified)",
        f"- method: gunicorn, 2 sync workers, DEBUG off, DJANGO_ENV=production, "
        f"DATABASE_CONN_MAX_AGE={os.environ.get('BENCH_CONN_MAX_AGE', '?')}; "
        f"`wrk -t1 -c{args.connections} -d{args.duration}s --latency`, each page right after a floor run "
        f"(`/healthz/`, anonymous), {args.reps} repetitions, medians. Queries: one request through Django's "
        f"test client on the same data. Floor median "
        f"{med(f['rps'] for f in floors):.0f} req/s.",
        "",
        "| page | share of the floor | req/s | p50 | p99 | queries | HTML bytes |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        runs = row["runs"]
        bad = sum(r["page"]["errors"] for r in runs)
        lines.append(
            f"| {row['label']} | {100 * med(r['share'] for r in runs):.1f} % | "
            f"{med(r['page']['rps'] for r in runs):.1f} | {med(r['page']['p50'] for r in runs):.0f} ms | "
            f"{med(r['page']['p99'] for r in runs):.0f} ms | {queries.get(row['label']) or '?'} | {row['bytes']} |"
            + (f" ⚠ {bad} non-2xx/3xx" if bad else "")
        )
    lines += ["", "<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the caseload query</summary>", ""]
    for label, plan in plans.items():
        lines += [f"{label}:", "", "```", plan, "```", ""]
    lines += ["</details>", "", f"<!-- /bench:scale={args.scale} -->"]
    replace_section(args.out, f"scale={args.scale}", "\n".join(lines))
    print(f"Written to {args.out}")
