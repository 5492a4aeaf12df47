#!/usr/bin/env bash
# `make run`: migrate the database, load the demo, print its users, and serve the
# application through gunicorn in the foreground until Ctrl-C.
#
# Environment: ZHENGGAI_PORT (or PORT; default 8000), ZHENGGAI_DATA_DIR (the data
# folder, default ./var), DATABASE_URL (PostgreSQL instead of SQLite in the data
# folder), ZHENGGAI_WORKERS (default 2). The address stays 127.0.0.1: put a
# reverse proxy in front to serve others.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${ZHENGGAI_BIN:-.venv/bin}
port=${ZHENGGAI_PORT:-${PORT:-8000}}
workers=${ZHENGGAI_WORKERS:-2}

"$bin/zhenggai" migrate --no-input --verbosity 0
"$bin/zhenggai" demo
echo
echo "整改 Zhenggai: http://127.0.0.1:$port/  (API: http://127.0.0.1:$port/api/docs)"
echo

# exec: gunicorn becomes this process, so Ctrl-C and SIGTERM reach it directly.
exec "$bin/gunicorn" zhenggai.wsgi:application \
    --bind "127.0.0.1:$port" \
    --workers "$workers" \
    --access-logfile -
