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
# shellcheck source=bench/services.sh
source bench/services.sh

build_bench

bench_provider() { # bench_provider PROVIDER CONNECTION
  local started=$SECONDS
  "${BENCH[@]}" generate --provider "$1" --connection "$2" --tickets "$TICKETS" --messages-per-ticket "$MESSAGES_PER_TICKET"
  log "generate took $((SECONDS - started)) s"
  [[ -z $GENERATE_ONLY ]] || return 0
  "${BENCH[@]}" run --provider "$1" --connection "$2" --out bench/results "${RUN_ARGS[@]}"
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
