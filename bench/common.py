"""What every phase of the benchmark shares: a plain-HTTP client with its own cookie jar, the log-in with the
second factor, and how docs/benchmarks.md is written (the machine, replacing a section).

Imported by bench/driver.py after django.setup()."""

import base64
import hashlib
import hmac
import http.client
import os
import platform
import re
import struct
import time
import urllib.parse
from pathlib import Path

from django.db import connection

from accounts.demo import DEMO_AUTHENTICATOR_KEY
from jimcase.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
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


def machine():
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
