#!/usr/bin/env bash
# Generates the benchmark dataset (once) and measures the API against it.
#
#   bench/run.sh [sqlite|postgres|both] [--tickets N] [--generate-only] [--duration S] [other `run` options]
#
# Data lives in bench/data/ (git-ignored) and is reused: SQLite in sqlite-N.db, PostgreSQL in a
# cluster folder pg-N/ that this script starts on a free port of 127.0.0.1 and stops again on
# exit. Results go to bench/results/latest-PROVIDER.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

PROVIDERS=both
TICKETS=1000000
MESSAGES_PER_TICKET=5
GENERATE_ONLY=
RUN_ARGS=()
while (($#)); do
  case $1 in
    sqlite | postgres | both) PROVIDERS=$1 ;;
    --tickets) TICKETS=$2; shift ;;
    --messages-per-ticket) MESSAGES_PER_TICKET=$2; shift ;;
    --generate-only) GENERATE_ONLY=1 ;;
    *) RUN_ARGS+=("$1") ;;
  esac
  shift
done

DATA_DIR=$PWD/bench/data
mkdir -p "$DATA_DIR"
PG_START_TIMEOUT=${PG_START_TIMEOUT:-60}
PG_LIFETIME=${PG_LIFETIME:-10800} # seconds; the server stops by itself after this even if this script is killed

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $EUID -eq 0 ]]; }

CLEANUP_STEPS=()
on_exit() {
  local step
  printf -v step '%q ' "$@"
  CLEANUP_STEPS+=("$step")
}
run_cleanup() {
  local rc=$? i
  trap '' INT TERM
  set +e
  for ((i = ${#CLEANUP_STEPS[@]} - 1; i >= 0; i--)); do
    eval "${CLEANUP_STEPS[i]}"
  done
  exit "$rc"
}
trap run_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "Building (Release)"
dotnet build src/Switchboard.Host -c Release -v quiet -nologo >/dev/null
dotnet build bench/Switchboard.Bench -c Release -v quiet -nologo >/dev/null
BENCH=(dotnet bench/Switchboard.Bench/bin/Release/net10.0/Switchboard.Bench.dll)

bench_provider() { # bench_provider PROVIDER CONNECTION
  local started=$SECONDS
  "${BENCH[@]}" generate --provider "$1" --connection "$2" --tickets "$TICKETS" --messages-per-ticket "$MESSAGES_PER_TICKET"
  log "generate took $((SECONDS - started)) s"
  [[ -z $GENERATE_ONLY ]] || return 0
  "${BENCH[@]}" run --provider "$1" --connection "$2" --out bench/results "${RUN_ARGS[@]}"
}

# --- PostgreSQL (same approach as test.sh, but the cluster is kept for the next run) ---------
SERVICE_USER=postgres
as_service_user() {
  if is_root; then (cd / && runuser -u "$SERVICE_USER" -- "$@"); else "$@"; fi
}
find_pg_bin() {
  local dir
  local -a candidates=()
  mapfile -t candidates < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  if dir=$(command -v initdb 2>/dev/null); then candidates+=("${dir%/*}"); fi
  for dir in "${candidates[@]}"; do
    if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then PG_BIN=$dir; return 0; fi
  done
  return 1
}
pick_free_port() {
  local i
  for ((i = 0; i < 200; i++)); do
    FREE_PORT=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$FREE_PORT") 2>/dev/null; then return 0; fi
  done
  die "could not find a free TCP port on 127.0.0.1"
}
stop_postgres() {
  if [[ -f $1/data/postmaster.pid ]]; then
    as_service_user "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_service_user "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
}

start_postgres() { # start_postgres DIR: sets PG_CONNECTION
  local dir=$1 password attempt started=
  find_pg_bin || die "PostgreSQL is not installed (apt-get install postgresql)"
  if is_root; then
    getent passwd "$SERVICE_USER" >/dev/null || die "user $SERVICE_USER is missing; install the postgresql package"
  fi
  if [[ ! -f $dir/data/PG_VERSION ]]; then
    rm -rf -- "$dir"
    mkdir -p "$dir"
    is_root && chown "$SERVICE_USER": "$dir"
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/password"
    chmod 600 "$dir/password"
    cp "$dir/password" "$dir/pwfile"
    is_root && chown "$SERVICE_USER": "$dir/pwfile"
    log "Creating a PostgreSQL cluster in $dir"
    as_service_user "$PG_BIN/initdb" -D "$dir/data" --username=postgres --pwfile="$dir/pwfile" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    rm -f -- "$dir/pwfile"
    # Sized for this 2-core, 23 GB machine. Durability is off: the data can be generated again.
    cat >>"$dir/data/postgresql.conf" <<EOF

listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 2GB
effective_cache_size = 12GB
work_mem = 32MB
maintenance_work_mem = 1GB
max_wal_size = 8GB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  on_exit stop_postgres "$dir"
  for attempt in 1 2 3 4 5; do
    pick_free_port
    if as_service_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $FREE_PORT" -w -t "$PG_START_TIMEOUT" start >/dev/null; then
      started=1
      break
    fi
    grep -qE 'could not bind|could not create any TCP/IP sockets' "$dir/server.log" 2>/dev/null || break
  done
  [[ -n $started ]] || { tail -n 30 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  # Stops the server once this script is gone or the lifetime is over, whichever comes first.
  local parent=$$
  (
    trap '' INT
    deadline=$((SECONDS + PG_LIFETIME))
    while kill -0 "$parent" 2>/dev/null && ((SECONDS < deadline)); do sleep 5; done
    stop_postgres "$dir"
  ) </dev/null >/dev/null 2>&1 &
  password=$(cat "$dir/password")
  PG_CONNECTION="Host=127.0.0.1;Port=$FREE_PORT;Username=postgres;Password=$password;Database=switchboard_bench;Maximum Pool Size=100"
  log "PostgreSQL $("$PG_BIN/postgres" --version | sed -E 's/^[^0-9]*([0-9][0-9.]*).*/\1/') is listening on 127.0.0.1:$FREE_PORT"
}

if [[ $PROVIDERS == sqlite || $PROVIDERS == both ]]; then
  log "SQLite, $TICKETS tickets"
  bench_provider sqlite "Data Source=$DATA_DIR/sqlite-$TICKETS.db"
fi
if [[ $PROVIDERS == postgres || $PROVIDERS == both ]]; then
  log "PostgreSQL, $TICKETS tickets"
  start_postgres "$DATA_DIR/pg-$TICKETS"
  bench_provider postgres "$PG_CONNECTION"
fi
