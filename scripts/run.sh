#!/usr/bin/env bash
# `make run`: migrate the database, load the demo, print its users, and serve the
# application through gunicorn, with the job worker beside it, until Ctrl-C.
#
# Environment: ZHENGGAI_PORT (or PORT; default 8000), ZHENGGAI_DATA_DIR (the data
# folder, default ./var), DATABASE_URL (PostgreSQL instead of SQLite in the data
# folder), ZHENGGAI_WORKERS (default 2). The address stays 127.0.0.1: put a
# reverse proxy in front to serve others.
#
# With ZHENGGAI_ENV=production (README.md, "Running in production") it is the
# production start: the checks first (a missing ZHENGGAI_SECRET_KEY stops it here,
# zhenggai.E001), then migrate and collectstatic (the hashed static files), and no demo.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # the data folder, the database and every file in them: this user's only

bin=${ZHENGGAI_BIN:-.venv/bin}
port=${ZHENGGAI_PORT:-${PORT:-8000}}
workers=${ZHENGGAI_WORKERS:-2}
environment=${ZHENGGAI_ENV:-development}

if [ "${environment,,}" = production ]; then
    "$bin/zhenggai" check --deploy --fail-level ERROR
    "$bin/zhenggai" migrate --no-input --verbosity 0
    "$bin/zhenggai" collectstatic --no-input --verbosity 0
    echo "整改 Zhenggai (production) on 127.0.0.1:$port, for the HTTPS proxy in front"
else
    "$bin/zhenggai" migrate --no-input --verbosity 0
    "$bin/zhenggai" demo
    echo
    echo "整改 Zhenggai: http://127.0.0.1:$port/  (API: http://127.0.0.1:$port/api/docs)"
    echo
fi

# gunicorn and the job worker (imports, large exports: `zhenggai worker`, which first
# runs again or fails the jobs a stopped worker left) run side by side in this
# process group and stop together: on Ctrl-C or SIGTERM, or when either of them ends.
# SIGTERM to the whole group (a test's stop, systemd's) ends every process in it.
# ZHENGGAI_JOB_WORKERS (default 2) jobs run at once, each for at most
# ZHENGGAI_JOB_TIMEOUT seconds (default 600).
# ZHENGGAI_WORKER=separate leaves the worker to a service of its own (README.md,
# "Deployment").
"$bin/zhenggai" tidy  # the .part leftovers of writes that died
running=()
if [ "${ZHENGGAI_WORKER:-beside}" != separate ]; then
    "$bin/zhenggai" worker &
    running+=($!)
fi
"$bin/gunicorn" zhenggai.wsgi:application \
    --bind "127.0.0.1:$port" \
    --workers "$workers" \
    --access-logfile - &
running+=($!)
stop() {
    trap - INT TERM
    kill -TERM "${running[@]}" 2>/dev/null || true
    wait "${running[@]}" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
status=0
wait -n "${running[@]}" || status=$?
stop
exit "$status"
