#!/usr/bin/env bash
# Measures the agent workspace in headless Chromium on the API benchmark's dataset.
#
#   bench/workspace.sh [sqlite|postgres|both] [--tickets N] [other `workspace` options, e.g. --samples 30]
#
# The dataset is the one bench/run.sh generates into bench/data/ (made here when missing).
# Results go to bench/results/latest-workspace-PROVIDER.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

PROVIDERS=both
TICKETS=1000000
RUN_ARGS=()
while (($#)); do
  case $1 in
    sqlite | postgres | both) PROVIDERS=$1 ;;
    --tickets) TICKETS=$2; shift ;;
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
  "${BENCH[@]}" generate --provider "$1" --connection "$2" --tickets "$TICKETS"
  if [[ $1 == postgres ]]; then
    # Other benchmarks rewrite rows of this dataset (the SLA recompute touches every ticket); vacuum
    # as autovacuum would have by now, so the planner sees the table as a live server would.
    PGPASSWORD=$(sed -E 's/.*Password=([^;]*);.*/\1/' <<<"$2") "$PG_BIN/psql" -q -h 127.0.0.1 \
      -p "$(sed -E 's/.*Port=([0-9]+);.*/\1/' <<<"$2")" -U postgres -d switchboard_bench -c 'VACUUM (ANALYZE) tickets'
  fi
  "${BENCH[@]}" workspace --provider "$1" --connection "$2" "${RUN_ARGS[@]}"
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
