"""The benchmark's driver (issue 12), started by bench/run.sh: never run it against a real database.

Phases (one per call):
  table   log in as a professional, a JIM and a coordinator; measure every page against the floor
          (/healthz/) with wrk, interleaved, BENCH_REPS repetitions, medians; write docs/benchmarks.md
  mixed   BENCH_MIXED_SECONDS of reads and writes at 16 connections; every write must be found after
  restart the same load while the database restarts (run.sh passes --restart-cmd); the error window
  reports as the coordinator, every report of reports.views.REPORTS (default filters, one team, the CSV):
          1 warm-up and BENCH_REPORT_RUNS timed requests each, median and max; must answer in under 1 s

It reads the database through Django with the development settings (DATABASE_URL from run.sh) to find
the benchmark's pages and to check the writes, and talks to gunicorn over plain HTTP on 127.0.0.1 only.
"""

import argparse
import base64
import collections
import datetime
import hashlib
import hmac
import http.client
import json
import os
import platform
import re
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.pop("DJANGO_ENV", None)  # the driver reads with development settings; gunicorn runs production

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from jimcase.demo import DEMO_AUTHENTICATOR_KEY, DEMO_PASSWORD  # noqa: E402
from jimcase.models import CaseAssignment, Note, Team, User, Youth  # noqa: E402
from jimcase.selectors import caseload_for  # noqa: E402
from triads.models import FallbackRequest, Triad  # noqa: E402
from triads.selectors import triads_of_mentor  # noqa: E402

PROFESSIONAL, COORDINATOR = "hv.anna", "coord.dana"
MARK = "bench-write"


# --- HTTP with a cookie jar of our own (the production cookies are Secure; we talk plain http) ------------


class Client:
    def __init__(self, base):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        if self.host != "127.0.0.1":
            raise SystemExit("The benchmark only talks to 127.0.0.1.")
        self.cookies = {}

    def request(self, method, path, form=None, timeout=30):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", text
        finally:
            conn.close()

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v and v != '""')

    def csrf(self):
        return self.cookies.get("csrftoken", "")


def totp(key_b32, t=None, step=30, digits=6):
    key = base64.b32decode(key_b32)
    counter = int((t or time.time()) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def login(base, username):
    """A logged-in (and, for a coordinator, second-factor verified) client."""
    client = Client(base)
    client.request("GET", "/accounts/login/")
    status, location, _ = client.request(
        "POST",
        "/accounts/login/",
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": client.csrf()},
    )
    if status != 302:
        raise SystemExit(f"Login as {username} failed (HTTP {status}).")
    for _attempt in range(3):
        status, location, _ = client.request("GET", "/")
        if "second-factor" not in location:
            return client
        # The demo coordinators' fixed authenticator key (README, "Demo accounts"). A code is accepted
        # once per 30 s step: wait for the next step when it was just used.
        status, location, _ = client.request(
            "POST",
            "/accounts/second-factor/verify/",
            {"code": totp(DEMO_AUTHENTICATOR_KEY), "csrfmiddlewaretoken": client.csrf()},
        )
        if status == 302:
            return client
        time.sleep(31 - time.time() % 30)
    raise SystemExit(f"Second factor for {username} refused.")


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
        f"- machine: {_machine()}; load average (1, 5, 15 min) before "
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


def _machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, AttributeError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{os.cpu_count()} CPUs ({cpu}){mem}, {platform.system()} {platform.release()}, PostgreSQL {pg}, Python {platform.python_version()}"


def replace_section(path, key, text):
    path = Path(path)
    path.parent.mkdir(exist_ok=True)
    current = path.read_text() if path.exists() else HEADER
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + text + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(current)


HEADER = """# Benchmarks

Written by `make bench` (bench/run.sh, bench/driver.py); see README, "Benchmark". Each section is
replaced when the benchmark runs again at the same data size. The share of the floor is the page's
throughput divided by that of `/healthz/` (the stack's floor: gunicorn, Django's middleware, one
`SELECT 1`) measured just before it, so numbers from different machines can be compared.
"""


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
        f"- machine: {_machine()}; load average (1, 5, 15 min) before "
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


# --- Mixed load and a database restart ---------------------------------------------------------------


class Load:
    """16 connections of professionals, JIMs and a coordinator, reading and writing, for `seconds`."""

    def __init__(self, base, seconds, connections, tag):
        self.base, self.seconds, self.connections, self.tag = base, seconds, connections, tag
        self.events = []  # (t, kind, ok, detail)
        self.writes = {"note": {}, "ask": {}}  # marker -> "ok" | "failed"
        self.lock = threading.Lock()

    def users(self):
        anna = User.objects.get(username=PROFESSIONAL)
        professionals = [anna] + list(
            User.objects.filter(username__startswith="scale.hv", assignments__ends_on__isnull=True)
            .distinct()
            .order_by("username")[:7]
        )
        jims = list(User.objects.filter(username__startswith="scale.jim").order_by("username")[:6])
        if not jims:
            jims = [User.objects.get(username="jim.wilma")]
        plan = []
        for i in range(self.connections):
            if i == self.connections - 1:
                plan.append(("coordinator", User.objects.get(username=COORDINATOR)))
            elif i % 2 == 0:
                plan.append(("professional", professionals[(i // 2) % len(professionals)]))
            else:
                plan.append(("jim", jims[(i // 2) % len(jims)]))
        return plan

    def prepare(self):
        self.workers = []
        logged_in = {}
        for role, user in self.users():
            if user.username not in logged_in:
                client = login(self.base, user.username)
                if role == "professional":
                    youths = list(
                        CaseAssignment.objects.filter(professional=user, ends_on__isnull=True).values_list(
                            "youth_id", flat=True
                        )[:10]
                    )
                    triads = list(
                        Triad.objects.filter(youth_id__in=youths)
                        .exclude(status="ended")
                        .values_list("pk", flat=True)
                    )
                    extra = {"youths": youths, "triads": triads}
                elif role == "jim":
                    extra = {"triad": triads_of_mentor(user).get().pk}
                else:
                    extra = {}
                logged_in[user.username] = (client, extra)
            client, extra = logged_in[user.username]
            self.workers.append((role, user.username, client.cookies.copy(), extra))

    def run(self, during=None):
        self.start = time.monotonic()
        threads = [
            threading.Thread(target=self.worker, args=(n, *w), daemon=True)
            for n, w in enumerate(self.workers)
        ]
        for thread in threads:
            thread.start()
        if during:
            during(self)
        for thread in threads:
            thread.join()

    def worker(self, n, role, username, cookies, extra):
        import random

        rng = random.Random(n)  # noqa: S311 - load mix, not security
        client = Client(self.base)
        client.cookies = dict(cookies)
        i = 0
        while time.monotonic() - self.start < self.seconds:
            i += 1
            write = i % 4 == 0
            if role == "professional":
                youth = rng.choice(extra["youths"])
                if write:
                    marker = f"{MARK} {self.tag} {uuid.uuid4()}"
                    self.attempt(
                        client,
                        "note",
                        marker,
                        f"/youths/{youth}/notes/add/",
                        {
                            "written_on": datetime.date.today().isoformat(),
                            "text": marker,
                            "submission_token": str(uuid.uuid4()),
                        },
                    )
                else:
                    path = rng.choice(
                        [f"/youths/{youth}/", "/youths/caseload/"]
                        + [f"/triads/{t}/" for t in extra["triads"][:1]]
                    )
                    self.read(client, path)
            elif role == "jim":
                if write:
                    marker = f"{MARK} {self.tag} {uuid.uuid4()}"
                    self.attempt(
                        client,
                        "ask",
                        marker,
                        f"/triads/mine/{extra['triad']}/ask/",
                        {"message": marker, "submission_token": str(uuid.uuid4())},
                    )
                else:
                    self.read(client, rng.choice([f"/triads/mine/{extra['triad']}/", "/triads/mine/"]))
            else:
                self.read(client, rng.choice(["/admin/jimcase/youth/", "/admin/triads/triad/"]))

    def read(self, client, path):
        try:
            status, location, _ = client.request("GET", path)
            ok = status in (200, 302) and "/accounts/login/" not in location
            detail = f"{status} {path}"
        except OSError as error:
            ok, detail = False, f"{type(error).__name__} {path}"
        self.record("read", ok, detail)

    def attempt(self, client, kind, marker, path, form):
        form["csrfmiddlewaretoken"] = client.csrf()
        try:
            status, location, _ = client.request("POST", path, form)
            ok = status == 302 and "/accounts/login/" not in location
            detail = f"{status} POST {path}"
        except OSError as error:
            ok, detail = False, f"{type(error).__name__} POST {path}"
        with self.lock:
            self.writes[kind][marker] = "ok" if ok else "failed"
        self.record("write", ok, detail)

    def record(self, kind, ok, detail):
        # When the answer came (or the connection failed): the error window is when users saw errors.
        t = time.monotonic() - self.start
        with self.lock:
            self.events.append((t, kind, ok, detail))

    def report(self):
        connection.close()  # the database may have restarted under the driver's own connection
        found = set(
            Note.objects.filter(text__startswith=f"{MARK} {self.tag} ").values_list("text", flat=True)
        )
        found |= set(
            FallbackRequest.objects.filter(message__startswith=f"{MARK} {self.tag} ").values_list(
                "message", flat=True
            )
        )
        confirmed = {m for kind in self.writes.values() for m, s in kind.items() if s == "ok"}
        failed = {m for kind in self.writes.values() for m, s in kind.items() if s == "failed"}
        errors = [e for e in self.events if not e[2]]
        result = {
            "requests": len(self.events),
            "reads": sum(1 for e in self.events if e[1] == "read"),
            "writes": sum(1 for e in self.events if e[1] == "write"),
            "errors": len(errors),
            "confirmed_writes": len(confirmed),
            "confirmed_writes_missing": len(confirmed - found),
            "failed_writes": len(failed),
            "failed_writes_stored_anyway": len(failed & found),
            "error_kinds": [
                f"{kind} × {count}"
                for kind, count in collections.Counter(e[3].split(" ")[0] for e in errors).most_common()
            ],
            "rps": len(self.events) / self.seconds,
        }
        if errors:
            result["first_error_s"] = round(min(e[0] for e in errors), 2)
            result["last_error_s"] = round(max(e[0] for e in errors), 2)
            result["error_window_s"] = round(result["last_error_s"] - result["first_error_s"], 2)
            after = [e for e in self.events if e[0] > result["last_error_s"]]
            result["ok_after_last_error"] = sum(1 for e in after if e[2])
        return result


def phase_mixed(args):
    load = Load(args.base, args.seconds, args.connections, tag=f"mixed-{uuid.uuid4().hex[:8]}")
    load.prepare()
    load.run()
    result = load.report()
    print(json.dumps(result, indent=2))
    text = [
        f"<!-- bench:mixed-scale={args.scale} -->",
        f"### Mixed load at {args.scale:,} scale youths".replace(",", " "),
        "",
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC. {args.seconds} s, {args.connections} connections "
        "(professionals reading their caseload, files and triad pages and writing notes; JIMs reading their "
        'page and sending "Denk even mee"; a coordinator reading the admin lists; one write in four).',
        "",
        f"- {result['requests']} requests ({result['rps']:.1f}/s): {result['reads']} reads, {result['writes']} writes",
        f"- errors: **{result['errors']}** {', '.join(result['error_kinds'])}",
        f"- confirmed writes: {result['confirmed_writes']}, of which missing from the database afterwards: "
        f"**{result['confirmed_writes_missing']}**",
        "",
        f"<!-- /bench:mixed-scale={args.scale} -->",
    ]
    replace_section(args.out, f"mixed-scale={args.scale}", "\n".join(text))
    return 0 if result["errors"] == 0 and result["confirmed_writes_missing"] == 0 else 1


def phase_restart(args):
    load = Load(args.base, args.seconds, args.connections, tag=f"restart-{uuid.uuid4().hex[:8]}")
    load.prepare()
    timing = {}

    def restart(load):
        time.sleep(args.restart_at)
        timing["begin"] = time.monotonic() - load.start
        subprocess.run(args.restart_cmd, shell=True, check=True, capture_output=True)  # noqa: S602 - from run.sh
        timing["end"] = time.monotonic() - load.start

    load.run(during=restart)
    result = load.report()
    result["restart_began_s"] = round(timing["begin"], 2)
    result["restart_done_s"] = round(timing["end"], 2)
    print(json.dumps(result, indent=2))
    window = (
        f"from {result['first_error_s']} s to {result['last_error_s']} s (**{result['error_window_s']} s**); "
        f"{result['ok_after_last_error']} requests answered after the last error"
        if result["errors"]
        else "no request failed"
    )
    text = [
        "<!-- bench:restart -->",
        "### Database restart under load",
        "",
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC. A throw-away PostgreSQL cluster "
        f"(initdb, port {args.db_port}) with `seed_demo --scale {args.scale}`; the same mixed load for "
        f"{args.seconds} s at {args.connections} connections; `pg_ctl restart -m fast` began at "
        f"{result['restart_began_s']} s and returned at {result['restart_done_s']} s; gunicorn was not restarted. "
        f"DATABASE_CONN_MAX_AGE={os.environ.get('BENCH_CONN_MAX_AGE', '?')}.",
        "",
        f"- {result['requests']} requests, {result['errors']} failed: {window}",
        f"- kinds of failure: {', '.join(result['error_kinds']) or '—'}",
        f"- confirmed writes {result['confirmed_writes']}, missing afterwards **{result['confirmed_writes_missing']}**; "
        f"failed writes {result['failed_writes']}, of which stored anyway {result['failed_writes_stored_anyway']}",
        "",
        "<!-- /bench:restart -->",
    ]
    replace_section(args.out, "restart", "\n".join(text))
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["table", "mixed", "restart", "reports"])
    parser.add_argument("--base", required=True)
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--restart-at", type=float, default=15)
    parser.add_argument("--restart-cmd", default="")
    parser.add_argument("--db-port", default="")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    if args.phase == "table":
        return phase_table(args)
    if args.phase == "mixed":
        return phase_mixed(args)
    if args.phase == "reports":
        return phase_reports(args)
    return phase_restart(args)


if __name__ == "__main__":
    sys.exit(main() or 0)
