#!/usr/bin/env bash
# make bench: measure JIM's pages against the floor of the stack on PostgreSQL with scale data (issue 12).
#
#   BENCH_SCALE=100000     youths added by `seed_demo --scale` (1000 for a quick run)
#   BENCH_DURATION=10      seconds per wrk run;  BENCH_REPS=3 repetitions;  BENCH_CONNECTIONS=4
#   BENCH_PARTS="table reports mixed restart"   what to run
#   BENCH_REPORT_RUNS=5    timed requests per report page (after one warm-up)
#   BENCH_MIXED_SECONDS=60, BENCH_MIXED_CONNECTIONS=16
#   BENCH_RESTART_SCALE=1000, BENCH_RESTART_SECONDS=40, BENCH_RESTART_PORT=55432
#   BENCH_DB=jim_bench_<scale> on PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres (trust auth); BENCH_RESEED=1 to rebuild
#   BENCH_PORT=8765 (gunicorn), BENCH_CONN_MAX_AGE=600
#
# Everything listens on and talks to 127.0.0.1 only. What the script starts (gunicorn, the throw-away
# PostgreSQL cluster of the restart test) it stops on exit. It never touches another database than
# BENCH_DB on the machine's cluster, and the restart test only restarts its own cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${BENCH_SCALE:-100000}
DURATION=${BENCH_DURATION:-10}
REPS=${BENCH_REPS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
PARTS=${BENCH_PARTS:-table reports mixed restart}
REPORT_RUNS=${BENCH_REPORT_RUNS:-5}
MIXED_SECONDS=${BENCH_MIXED_SECONDS:-60}
MIXED_CONNECTIONS=${BENCH_MIXED_CONNECTIONS:-16}
RESTART_SCALE=${BENCH_RESTART_SCALE:-1000}
RESTART_SECONDS=${BENCH_RESTART_SECONDS:-40}
RESTART_PORT=${BENCH_RESTART_PORT:-55432}
DB=${BENCH_DB:-jim_bench_$SCALE}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PORT=${BENCH_PORT:-8765}
export BENCH_CONN_MAX_AGE=${BENCH_CONN_MAX_AGE:-600}
PY=.venv/bin/python
export PGHOST PGPORT PGUSER

if [[ "$PGHOST" != "127.0.0.1" && "$PGHOST" != "localhost" ]]; then
    echo "The benchmark only uses a database on this machine (PGHOST=127.0.0.1)." >&2
    exit 2
fi
has_part() { [[ " $PARTS " == *" $1 "* ]]; }
if (has_part table || has_part mixed || has_part restart) && ! command -v wrk >/dev/null; then  # not for reports
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "Installing wrk (Debian package)…"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
    else
        echo "wrk is missing: install the Debian package (sudo apt-get install wrk) and run again." >&2
        exit 2
    fi
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

WORK=$(mktemp -d /tmp/jim-bench.XXXXXX)
PIDS=()
CLUSTER=""
RUN_AS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "$CLUSTER" ]]; then
        "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$CLUSTER" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The database: seeded once per scale (its comment says which); BENCH_RESEED=1 starts again.
psql_main() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
want="jim-bench scale=$SCALE"
have=$(psql_main -tA -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
if [[ "${BENCH_RESEED:-0}" == 1 || "$have" != "$want" ]]; then
    echo "Creating $DB with the demo and $SCALE scale youths…"
    psql_main -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB" $PY manage.py migrate --noinput -v0
    DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB" $PY manage.py seed_demo --scale "$SCALE" | grep -a "Scale data"
    psql_main -c "COMMENT ON DATABASE $DB IS '$want'"
else
    echo "Reusing $DB ($want); BENCH_RESEED=1 to rebuild it."
    DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB" $PY manage.py migrate --noinput -v0
fi
psql -X -q -d "$DB" -c "VACUUM ANALYZE" >/dev/null

# gunicorn as in production, with throw-away secrets, plain http on 127.0.0.1.
start_gunicorn() {  # $1 database URL, $2 port, $3 log name
    env DJANGO_ENV=production SECRET_KEY="bench-$(head -c 24 /dev/urandom | base64)" \
        ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$2" EMAIL_HOST=127.0.0.1 EMAIL_PORT=9 \
        OUTBOX_SEND_AT_COMMIT=false SECURE_SSL_REDIRECT=false BEHIND_TLS_PROXY=false TRUST_X_FORWARDED_FOR=false \
        SECURE_HSTS_SECONDS=0 STATIC_ROOT="$WORK/static" DATABASE_URL="$1" \
        DATABASE_CONN_MAX_AGE="$BENCH_CONN_MAX_AGE" LOG_LEVEL=ERROR \
        .venv/bin/gunicorn config.wsgi:application --workers 2 --worker-class sync \
        --bind "127.0.0.1:$2" --timeout 60 --log-level warning >"$WORK/$3.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        if curl -fsS "http://127.0.0.1:$2/healthz/" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    echo "gunicorn did not answer on port $2:" >&2
    cat "$WORK/$3.log" >&2
    return 1
}
env DJANGO_ENV=production SECRET_KEY=collectstatic ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1 \
    EMAIL_HOST=127.0.0.1 STATIC_ROOT="$WORK/static" $PY manage.py collectstatic --noinput -v0

MAIN_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
driver() { DATABASE_URL="$1" $PY bench/driver.py "${@:2}"; }
status=0

if has_part table || has_part mixed || has_part reports; then
    start_gunicorn "$MAIN_URL" "$PORT" gunicorn
fi
if has_part table; then
    echo "== Pages against the floor: $REPS × (floor + page) × ${DURATION}s each"
    driver "$MAIN_URL" table --base "http://127.0.0.1:$PORT" --scale "$SCALE" --duration "$DURATION" \
        --reps "$REPS" --connections "$CONNECTIONS"
fi
if has_part reports; then
    echo "== Reports as the coordinator: 1 warm-up + $REPORT_RUNS timed requests per page, under 1 s each"
    driver "$MAIN_URL" reports --base "http://127.0.0.1:$PORT" --scale "$SCALE" --runs "$REPORT_RUNS" || status=1
fi
if has_part mixed; then
    echo "== Mixed load: ${MIXED_SECONDS}s at $MIXED_CONNECTIONS connections"
    driver "$MAIN_URL" mixed --base "http://127.0.0.1:$PORT" --scale "$SCALE" --seconds "$MIXED_SECONDS" \
        --connections "$MIXED_CONNECTIONS" || status=1
fi

if has_part restart; then
    echo "== Database restart under load, on a throw-away cluster on port $RESTART_PORT"
    if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
        echo "initdb not found under /usr/lib/postgresql/*/bin: restart test skipped." >&2
        exit 1
    fi
    if (exec 3<>/dev/tcp/127.0.0.1/"$RESTART_PORT") 2>/dev/null; then
        echo "Port $RESTART_PORT is in use: set BENCH_RESTART_PORT." >&2
        exit 1
    fi
    CLUSTER="$WORK/cluster"
    mkdir -p "$CLUSTER"
    if [[ $(id -u) == 0 ]]; then  # initdb refuses root: the cluster belongs to the postgres account
        chmod 755 "$WORK"
        chown postgres "$CLUSTER"
        RUN_AS=(runuser -u postgres --)
    fi
    "${RUN_AS[@]}" "$PGBIN/initdb" -D "$CLUSTER" -U postgres --auth=trust -E UTF8 >/dev/null
    PGCTL=("${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$CLUSTER" -w -l "$CLUSTER/server.log"
        -o "-p $RESTART_PORT -k $CLUSTER -c listen_addresses=127.0.0.1")
    "${PGCTL[@]}" start >/dev/null
    THROWAWAY="postgres://postgres@127.0.0.1:$RESTART_PORT/jim_restart"
    psql -X -q -h 127.0.0.1 -p "$RESTART_PORT" -U postgres -d postgres -c "CREATE DATABASE jim_restart"
    DATABASE_URL="$THROWAWAY" $PY manage.py migrate --noinput -v0
    DATABASE_URL="$THROWAWAY" $PY manage.py seed_demo --scale "$RESTART_SCALE" | grep -a "Scale data"
    start_gunicorn "$THROWAWAY" "$((PORT + 1))" gunicorn-restart
    driver "$THROWAWAY" restart --base "http://127.0.0.1:$((PORT + 1))" --scale "$RESTART_SCALE" \
        --seconds "$RESTART_SECONDS" --connections "$MIXED_CONNECTIONS" --db-port "$RESTART_PORT" \
        --restart-cmd "$(printf '%q ' "${PGCTL[@]}") -m fast restart"
fi
echo "Done: docs/benchmarks.md"
exit $status
