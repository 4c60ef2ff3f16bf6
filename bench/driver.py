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
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.pop("DJANGO_ENV", None)  # the driver reads with development settings; gunicorn runs production

import django  # noqa: E402

django.setup()

from common import ROOT  # noqa: E402
from phase_load import phase_mixed, phase_restart  # noqa: E402
from phase_reports import phase_reports  # noqa: E402
from phase_table import phase_table  # noqa: E402


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
