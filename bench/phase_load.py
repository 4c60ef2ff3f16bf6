"""The mixed-load and database-restart phases: every confirmed write is found afterwards."""

import collections
import datetime
import json
import os
import subprocess
import threading
import time
import uuid

from common import COORDINATOR, MARK, PROFESSIONAL, Client, login, replace_section
from django.db import connection

from jimcase.models import CaseAssignment, Note, User
from triads.models import FallbackRequest, Triad
from triads.selectors import triads_of_mentor

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
