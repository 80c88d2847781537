#!/usr/bin/env bash
# Email ingestion benchmark: throwaway Dovecot and (for postgres) PostgreSQL on free ports of
# 127.0.0.1, a fresh migrated database per run, the real host fetching by IMAP.
#
#   bench/email.sh [sqlite|postgres|both] [--messages 10000] [--latency-rate 20] [--latency-seconds 30]
#
# Everything it starts is stopped on exit and its folders removed. Results go to
# bench/results/latest-email-PROVIDER.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

PROVIDERS=both
RUN_ARGS=()
while (($#)); do
  case $1 in
    sqlite | postgres | both) PROVIDERS=$1 ;;
    *) RUN_ARGS+=("$1") ;;
  esac
  shift
done

PG_LIFETIME=${PG_LIFETIME:-7200}
# shellcheck source=bench/services.sh
source bench/services.sh

CORPUS=${MAIL_CORPUS:-../shared/mail-corpus/zammad-5.2.2}
[[ -d $CORPUS ]] || die "mail corpus not found in $CORPUS (set MAIL_CORPUS to a folder of .box files)"

build_bench

WORK_DIR=$(mktemp -d -t switchboard-email-bench.XXXXXX)
on_exit rm -rf -- "$WORK_DIR"
chmod 755 "$WORK_DIR" # the servers run as their own user when we are root
mkdir -p "$WORK_DIR/dovecot"
start_dovecot "$WORK_DIR/dovecot"

if [[ $PROVIDERS == sqlite || $PROVIDERS == both ]]; then
  log "Email ingestion on SQLite"
  mkdir -p "$WORK_DIR/sqlite"
  "${BENCH[@]}" email --provider sqlite --connection "Data Source=$WORK_DIR/sqlite/switchboard.db" \
    --imap "$IMAP_SETTINGS" --corpus "$CORPUS" --out bench/results "${RUN_ARGS[@]}"
fi
if [[ $PROVIDERS == postgres || $PROVIDERS == both ]]; then
  log "Email ingestion on PostgreSQL"
  start_postgres "$WORK_DIR/pg"
  "${BENCH[@]}" email --provider postgres --connection "$PG_CONNECTION" --data-dir "$WORK_DIR/postgres-data" \
    --imap "$IMAP_SETTINGS" --corpus "$CORPUS" --out bench/results "${RUN_ARGS[@]}"
fi
