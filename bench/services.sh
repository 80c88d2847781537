# Shared by run.sh and email.sh (sourced, not run): logging, undo steps on exit, and throwaway
# servers on free ports of 127.0.0.1 — PostgreSQL and Dovecot, each configured entirely from its
# own folder and stopped on exit, as in test.sh.
# shellcheck shell=bash

PG_START_TIMEOUT=${PG_START_TIMEOUT:-60}
PG_LIFETIME=${PG_LIFETIME:-10800} # seconds; the server stops by itself after this even if the script is killed

log() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
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

# Builds the host and the benchmark program (Release) and sets BENCH to the command that runs it.
build_bench() {
  log "Building (Release)"
  dotnet build src/Switchboard.Host -c Release -v quiet -nologo >/dev/null
  dotnet build bench/Switchboard.Bench -c Release -v quiet -nologo >/dev/null
  BENCH=(dotnet bench/Switchboard.Bench/bin/Release/net10.0/Switchboard.Bench.dll)
}

# --- PostgreSQL (same approach as test.sh; run.sh keeps its cluster for the next run) --------
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
  # shellcheck disable=SC2034 # read by the sourcing script
  PG_CONNECTION="Host=127.0.0.1;Port=$FREE_PORT;Username=postgres;Password=$password;Database=switchboard_bench;Maximum Pool Size=100"
  log "PostgreSQL $("$PG_BIN/postgres" --version | sed -E 's/^[^0-9]*([0-9][0-9.]*).*/\1/') is listening on 127.0.0.1:$FREE_PORT"
}


# --- Dovecot (IMAP; same approach as test.sh) ----------------------------------------------
# Configured entirely from its own folder (never /etc/dovecot); any user name logs in with one
# password, so each run uses a fresh user and gets an empty INBOX. Runs unprivileged: as root as
# the service user, otherwise as the calling user.
DOVECOT_START_TIMEOUT=${DOVECOT_START_TIMEOUT:-30} # seconds

dovecot_master_pid() { # dovecot_master_pid DIR: prints the pid of the Dovecot master of DIR while it runs
  local pid
  pid=$(cat "$1/run/master.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dovecot ]] || return 1
  printf '%s' "$pid"
}

stop_dovecot() { # stop_dovecot DIR
  local dir=$1 pid i
  pid=$(dovecot_master_pid "$dir") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

write_dovecot_config() { # write_dovecot_config DIR VERSION USER GROUP PASSWORD IMAP_PORT
  local dir=$1 version=$2 mail_user=$3 mail_group=$4 password=$5 imap_port=$6 uid gid
  uid=$(id -u "$mail_user")
  gid=$(id -g "$mail_user")
  local common="protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
instance_name = switchboard-bench-${dir##*.}
log_path = $dir/dovecot.log
default_internal_user = $mail_user
default_internal_group = $mail_group
default_login_user = $mail_user
first_valid_uid = $uid
last_valid_uid = $uid
ssl = no
auth_mechanisms = plain login
# IDLE is woken by inotify; this is only the fallback check.
mailbox_idle_check_interval = 1s
mail_max_userip_connections = 100
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}"
  if [[ $(printf '%s\n' "$version" 2.4 | sort -V | head -n 1) == 2.4 ]]; then
    cat >"$dir/dovecot.conf" <<CONF
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
$common
auth_allow_cleartext = yes
mail_driver = maildir
mail_path = ~/Maildir
namespace inbox {
  inbox = yes
}
passdb static {
  password = $password
}
userdb static {
  fields {
    uid = $uid
    gid = $gid
    home = $dir/mail/%{user}
  }
}
CONF
  else
    cat >"$dir/dovecot.conf" <<CONF
$common
disable_plaintext_auth = no
mail_location = maildir:~/Maildir
passdb {
  driver = static
  args = password=$password
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/mail/%u
}
CONF
  fi
}

start_dovecot() { # start_dovecot DIR: sets IMAP_SETTINGS=host=127.0.0.1;port=N;password=PW
  local dir=$1 bin version mail_user mail_group password attempt start_log='' started='' deadline greeting
  bin=$(command -v dovecot 2>/dev/null) || bin=/usr/sbin/dovecot
  [[ -x $bin && -x /usr/lib/dovecot/imap ]] || die "Dovecot is not installed (apt-get install dovecot-imapd)"
  version=$("$bin" --version | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
  if is_root; then
    getent passwd "$SERVICE_USER" >/dev/null || die "user $SERVICE_USER is missing; install the postgresql package"
    mail_user=$SERVICE_USER
    chown "$SERVICE_USER": "$dir"
  else
    mail_user=$(id -un)
  fi
  mail_group=$(id -gn "$mail_user")
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  as_service_user mkdir -p "$dir/mail"
  on_exit stop_dovecot "$dir"
  for attempt in 1 2 3 4 5; do
    pick_free_port
    write_dovecot_config "$dir" "$version" "$mail_user" "$mail_group" "$password" "$FREE_PORT"
    is_root && chown "$SERVICE_USER": "$dir/dovecot.conf"
    chmod 600 "$dir/dovecot.conf"
    start_log=$dir/start-$attempt.log
    if as_service_user "$bin" -c "$dir/dovecot.conf" >"$start_log" 2>&1; then
      started=1
      break
    fi
    stop_dovecot "$dir"
    grep -qiE 'address already in use' "$start_log" "$dir/dovecot.log" 2>/dev/null || break
  done
  if [[ -z $started ]]; then
    cat ${start_log:+"$start_log"} "$dir/dovecot.log" >&2 2>/dev/null || true
    die "Dovecot did not start (its output above)"
  fi
  deadline=$((SECONDS + DOVECOT_START_TIMEOUT))
  until
    # shellcheck disable=SC2016 # $1 is expanded by the inner shell
    greeting=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 4 <&3' _ "$FREE_PORT" 2>/dev/null || true)
    [[ $greeting == '* OK'* ]]
  do
    ((SECONDS < deadline)) || { cat "$dir/dovecot.log" >&2 2>/dev/null; die "Dovecot did not answer on 127.0.0.1:$FREE_PORT"; }
    sleep 0.2
  done
  # shellcheck disable=SC2034 # read by the sourcing script
  IMAP_SETTINGS="host=127.0.0.1;port=$FREE_PORT;password=$password"
  log "Dovecot $version is listening on 127.0.0.1:$FREE_PORT (IMAP)"
}
