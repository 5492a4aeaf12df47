#!/usr/bin/env bash
# `postgres.sh run CMD...`: run CMD against a throwaway PostgreSQL server, so
# the database tests also run on the engine production uses, with no setup
# beyond Debian's `postgresql` package (scripts/bootstrap.sh test installs it).
# The cluster lives in a fresh temp dir, listens on 127.0.0.1 only, trusts
# every local connection and is removed on exit, whatever CMD's outcome.
set -euo pipefail

if [ "${1:-}" != run ] || [ $# -lt 2 ]; then
    echo "usage: $0 run CMD..." >&2
    exit 2
fi
shift

# Debian keeps initdb and pg_ctl off PATH, under one directory per version.
# Take the newest (sort -V: 9.6 < 15); an unmatched glob stays literal and fails -x.
initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)
[ -x "$initdb" ] || initdb=$(command -v initdb || true)
[ -n "$initdb" ] || { echo "$0: no initdb; run scripts/bootstrap.sh test" >&2; exit 1; }
bin=$(dirname "$initdb")

# initdb and postgres refuse to run as root: then the server runs as the
# `postgres` user the Debian package creates, which is also the superuser.
# `env -C /`: it may not be allowed into our working directory (say /root).
as_pg=()
user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    as_pg=(runuser -u postgres -- env -C /)
    user=postgres
fi

# Under /tmp, not $TMPDIR: the server user must reach it, and the socket path
# inside it must stay within the kernel's 107-byte limit.
dir=$(mktemp -d /tmp/zhenggai-pg.XXXXXX)
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$dir"
cleanup() {
    [ ! -f "$dir/data/postmaster.pid" ] ||
        "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free port from the kernel; a race with another process is unlikely enough.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# C collation with UTF-8 needs no system locale; --no-sync and the server's
# fsync/synchronous_commit/full_page_writes off trade durability, which a
# throwaway database does not need, for speed.
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --no-locale \
    --no-sync --no-instructions >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-h 127.0.0.1 -p $port -k $dir -F -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
for _ in $(seq 100); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.1
done
"$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" zhenggai

export DATABASE_URL="postgres://$user@127.0.0.1:$port/zhenggai"
status=0
"$@" || status=$?
exit "$status"
