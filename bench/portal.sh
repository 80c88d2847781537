#!/usr/bin/env bash
# Measures the customer portal's knowledge base at size: search page, suggestions and article page.
#
#   bench/portal.sh [sqlite|postgres|both] [--articles N] [other `portal` options]
#
# The articles are generated once into bench/data/ (git-ignored) and reused: SQLite in
# portal-sqlite-N.db, PostgreSQL in a cluster folder portal-pg-N/ started on a free port of
# 127.0.0.1 for the run. Results go to bench/results/latest-portal-PROVIDER.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

PROVIDERS=both
ARTICLES=100000
RUN_ARGS=()
while (($#)); do
  case $1 in
    sqlite | postgres | both) PROVIDERS=$1 ;;
    --articles) ARTICLES=$2; shift ;;
    *) RUN_ARGS+=("$1") ;;
  esac
  shift
done

DATA_DIR=$PWD/bench/data
mkdir -p "$DATA_DIR"
# shellcheck source=bench/services.sh
source bench/services.sh

build_bench

if [[ $PROVIDERS == sqlite || $PROVIDERS == both ]]; then
  log "SQLite, $ARTICLES articles"
  "${BENCH[@]}" portal --provider sqlite --connection "Data Source=$DATA_DIR/portal-sqlite-$ARTICLES.db" --articles "$ARTICLES" --out bench/results "${RUN_ARGS[@]}"
fi
if [[ $PROVIDERS == postgres || $PROVIDERS == both ]]; then
  log "PostgreSQL, $ARTICLES articles"
  start_postgres "$DATA_DIR/portal-pg-$ARTICLES"
  "${BENCH[@]}" portal --provider postgres --connection "$PG_CONNECTION" --articles "$ARTICLES" --out bench/results "${RUN_ARGS[@]}"
fi
