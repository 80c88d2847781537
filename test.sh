#!/usr/bin/env bash
# The project's single test command: checks formatting, builds with warnings as
# errors and runs every test against a throwaway PostgreSQL server and a
# throwaway Dovecot (IMAP and POP3, for the mail tests) that live only as long
# as this script.
#
#   ./test.sh                    everything
#   ./test.sh --filter Tickets   extra arguments go to `dotnet test`
#
# Needs the .NET SDK. PostgreSQL, Dovecot (the mail tests' IMAP and POP3
# server), Chromium (the browser tests) and Node.js with npm (front-end builds)
# are installed with apt-get when missing and we may do so (root, or
# password-less sudo).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SOLUTION=Switchboard.slnx
PG_START_TIMEOUT=${PG_START_TIMEOUT:-60} # seconds

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'test.sh: error: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $EUID -eq 0 ]]; }

# --- cleanup ----------------------------------------------------------------
# Whatever gets started or created registers an undo step with on_exit. The
# steps run newest first on every exit (including Ctrl-C), so no server or
# temporary folder outlives the run, and only things this run made are touched.
CLEANUP_STEPS=()
on_exit() {
  local step
  printf -v step '%q ' "$@"
  CLEANUP_STEPS+=("$step")
}
run_cleanup() {
  local rc=$? i
  trap '' INT TERM # finish cleaning up even if interrupted again
  set +e
  for ((i = ${#CLEANUP_STEPS[@]} - 1; i >= 0; i--)); do
    eval "${CLEANUP_STEPS[i]}"
  done
  exit "$rc"
}
trap run_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK_DIR=$(mktemp -d -t switchboard-test.XXXXXX)
on_exit rm -rf -- "$WORK_DIR"

# --- packages ---------------------------------------------------------------
APT_UPDATED=
# apt_install PACKAGE...: returns 1 when we are not allowed to install.
apt_install() {
  local -a sudo=()
  command -v apt-get >/dev/null 2>&1 || return 1
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 1
    sudo=(sudo -n)
  fi
  log "Installing $* with apt-get"
  if [[ -z $APT_UPDATED ]]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
    APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "$@" || return 1
}

# ensure_pkg PACKAGE CHECK...: runs CHECK; when it fails, installs PACKAGE and
# runs CHECK again.
ensure_pkg() {
  local pkg=$1
  shift
  "$@" && return 0
  apt_install "$pkg" ||
    die "'$pkg' is required, and installing it needs root or password-less sudo. Install it with: sudo apt-get install $pkg"
  "$@" || die "'$pkg' is installed but '$*' still fails"
}

# Database servers refuse to run as root, so as root they run as the postgres
# system user (which the Debian package creates).
SERVICE_USER=postgres
ensure_service_user() {
  is_root || return 0
  getent passwd "$SERVICE_USER" >/dev/null && return 0
  local -a group=()
  getent group "$SERVICE_USER" >/dev/null && group=(-g "$SERVICE_USER")
  useradd --system --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "${group[@]}" "$SERVICE_USER"
}
as_service_user() {
  if is_root; then
    (cd / && runuser -u "$SERVICE_USER" -- "$@")
  else
    "$@"
  fi
}

# make_service_dir VAR NAME: sets VAR to a new temporary folder for one server,
# deleted on exit. As root it belongs to the service user.
make_service_dir() {
  local new_dir
  new_dir=$(mktemp -d -t "switchboard-$2.XXXXXX")
  on_exit rm -rf -- "$new_dir"
  printf -v "$1" '%s' "$new_dir"
  if is_root; then
    ensure_service_user
    chown "$SERVICE_USER": "$new_dir"
    as_service_user test -w "$new_dir" ||
      die "user $SERVICE_USER cannot write to $new_dir; set TMPDIR to a folder it can reach"
  fi
}

# pick_free_port: sets FREE_PORT to a port in 20000-60000 where nothing on
# 127.0.0.1 listens. Another process may still grab it before we bind, so
# callers retry with a new port when binding fails.
pick_free_port() {
  local i
  for ((i = 0; i < 200; i++)); do
    FREE_PORT=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$FREE_PORT") 2>/dev/null; then
      return 0
    fi
  done
  die "could not find a free TCP port on 127.0.0.1"
}

# --- PostgreSQL ---------------------------------------------------------------
# find_pg_bin: sets PG_BIN to a folder with initdb, pg_ctl and postgres, the
# newest Debian version first, then PATH.
find_pg_bin() {
  local dir
  local -a candidates=()
  mapfile -t candidates < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  if dir=$(command -v initdb 2>/dev/null); then
    candidates+=("${dir%/*}")
  fi
  for dir in "${candidates[@]}"; do
    if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
      PG_BIN=$dir
      return 0
    fi
  done
  return 1
}

stop_postgres() { # stop_postgres DIR: stops the server in DIR/data if it runs
  local dir=$1
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_service_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_service_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
      printf 'test.sh: warning: could not stop PostgreSQL in %s\n' "$dir" >&2
  fi
}

# start_postgres: starts a private server on 127.0.0.1 and exports
# SWITCHBOARD_TEST_POSTGRES, a superuser connection string; tests create their
# own databases.
start_postgres() {
  ensure_pkg postgresql find_pg_bin

  local dir password locales attempt server_log started=
  local -a locale_args=(--no-locale)
  make_service_dir dir postgres
  on_exit stop_postgres "$dir" # registered later, so it runs before the folder goes

  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  is_root && chown "$SERVICE_USER": "$dir/pwfile"
  chmod 600 "$dir/pwfile"

  # C.UTF-8 keeps sorting byte-wise but lets upper()/lower()/ILIKE handle
  # non-ASCII text.
  locales=$(locale -a 2>/dev/null || true)
  grep -qixE 'c\.utf-?8' <<<"$locales" && locale_args=(--locale=C.UTF-8)

  log "Creating a throwaway PostgreSQL cluster with $PG_BIN"
  as_service_user "$PG_BIN/initdb" -D "$dir/data" --username=postgres \
    --pwfile="$dir/pwfile" --auth=scram-sha-256 --encoding=UTF8 "${locale_args[@]}" \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  }
  rm -f -- "$dir/pwfile"

  # Durability is pointless for a server that is deleted afterwards; turning it
  # off makes tests that create many databases much faster.
  cat >>"$dir/data/postgresql.conf" <<EOF

listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  for attempt in 1 2 3 4 5; do
    pick_free_port
    server_log=$dir/server-$attempt.log
    if as_service_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$server_log" \
      -o "-p $FREE_PORT" -w -t "$PG_START_TIMEOUT" start >/dev/null; then
      started=1
      break
    fi
    # Make sure nothing half-started stays around before trying again.
    as_service_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    grep -qE 'could not bind|could not create any TCP/IP sockets' "$server_log" 2>/dev/null ||
      break
    log "Port $FREE_PORT was taken meanwhile, trying another (attempt $attempt)"
  done
  if [[ -z $started ]]; then
    cat "$server_log" >&2 2>/dev/null || true
    die "PostgreSQL did not start (server log above)"
  fi

  wait_for_postgres "$FREE_PORT" "$server_log"

  export SWITCHBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=$FREE_PORT;Username=postgres;Password=$password;Database=postgres"
  log "PostgreSQL $("$PG_BIN/postgres" --version | sed -E 's/^[^0-9]*([0-9][0-9.]*).*/\1/') is listening on 127.0.0.1:$FREE_PORT"
}

wait_for_postgres() { # wait_for_postgres PORT LOG: waits until TCP connections are accepted
  local port=$1 server_log=$2 deadline=$((SECONDS + PG_START_TIMEOUT))
  until
    if [[ -x $PG_BIN/pg_isready ]]; then
      "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2
    else
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
  do
    if ((SECONDS >= deadline)); then
      cat "$server_log" >&2 2>/dev/null || true
      die "PostgreSQL did not accept connections on 127.0.0.1:$port within ${PG_START_TIMEOUT}s (server log above)"
    fi
    sleep 0.2
  done
}

# --- Dovecot (IMAP and POP3) ---------------------------------------------------
# A private Dovecot for the mail tests, configured entirely from its own folder
# (never /etc/dovecot). Any user name logs in with one password, so each test
# uses a fresh name and gets an empty mailbox. It runs unprivileged: as root as
# the service user, otherwise as the calling user; mail is stored as that user.
DOVECOT_START_TIMEOUT=${DOVECOT_START_TIMEOUT:-30} # seconds
DOVECOT_LIBEXEC=/usr/lib/dovecot
DOVECOT_BIN=

# find_dovecot PROGRAM: sets DOVECOT_BIN when dovecot and its PROGRAM (imap,
# pop3) are installed. /usr/sbin is often not on a user's PATH.
find_dovecot() {
  local bin
  bin=$(command -v dovecot 2>/dev/null) || bin=/usr/sbin/dovecot
  [[ -x $bin && -x $DOVECOT_LIBEXEC/$1 ]] || return 1
  DOVECOT_BIN=$bin
}

# dovecot_master_pid DIR: prints the pid of the Dovecot master of DIR while it runs.
dovecot_master_pid() {
  local pid
  pid=$(cat "$1/run/master.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dovecot ]] || return 1
  printf '%s' "$pid"
}

stop_dovecot() { # stop_dovecot DIR: stops the Dovecot whose pid file is in DIR, if it runs
  local dir=$1 pid i
  pid=$(dovecot_master_pid "$dir") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  # The master stops its child processes before it exits.
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  printf 'test.sh: warning: Dovecot (pid %s) did not stop within 10s and was killed\n' "$pid" >&2
}

# write_dovecot_config DIR VERSION USER GROUP PASSWORD IMAP_PORT POP3_PORT
write_dovecot_config() {
  local dir=$1 version=$2 mail_user=$3 mail_group=$4 password=$5 imap_port=$6 pop3_port=$7 uid gid
  uid=$(id -u "$mail_user")
  gid=$(id -g "$mail_user")
  # Settings common to 2.3 and 2.4; an unprivileged master cannot chroot its
  # login processes, and every internal process runs as the one user.
  local common="protocols = imap pop3
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
instance_name = switchboard-test-${dir##*.}
log_path = $dir/dovecot.log
default_internal_user = $mail_user
default_internal_group = $mail_group
default_login_user = $mail_user
first_valid_uid = $uid
last_valid_uid = $uid
ssl = no
auth_mechanisms = plain login
# New mail shows up in IDLE within a second.
mailbox_idle_check_interval = 1s
mail_max_userip_connections = 100
service anvil {
  chroot =
  # Tests sign in with wrong passwords on purpose; that must not slow down
  # every later login from 127.0.0.1 (no growing authentication penalty).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
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
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    address = 127.0.0.1
    port = $pop3_port
  }
  inet_listener pop3s {
    port = 0
  }
}"
  if [[ $(printf '%s\n' "$version" 2.4 | sort -V | head -n 1) == 2.4 ]]; then
    cat >"$dir/dovecot.conf" <<EOF
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
EOF
  else
    cat >"$dir/dovecot.conf" <<EOF
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
EOF
  fi
}

# wait_for_greeting PORT EXPECTED: waits until the server on PORT greets with EXPECTED.
wait_for_greeting() {
  local port=$1 expected=$2 deadline=$((SECONDS + DOVECOT_START_TIMEOUT)) greeting
  while ((SECONDS < deadline)); do
    # shellcheck disable=SC2016 # $1 is expanded by the inner shell
    greeting=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 3 <&3' _ "$port" 2>/dev/null || true)
    [[ $greeting == "$expected"* ]] && return 0
    sleep 0.2
  done
  return 1
}

# start_dovecot: starts IMAP and POP3 on free loopback ports and exports
# SWITCHBOARD_TEST_IMAP=host=127.0.0.1;imapPort=N;pop3Port=M;password=PW
start_dovecot() {
  ensure_pkg dovecot-imapd find_dovecot imap
  ensure_pkg dovecot-pop3d find_dovecot pop3

  local dir version mail_user mail_group password attempt imap_port pop3_port start_log='' started=''
  version=$("$DOVECOT_BIN" --version | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
  make_service_dir dir dovecot
  on_exit stop_dovecot "$dir" # registered later, so it runs before the folder goes
  if is_root; then mail_user=$SERVICE_USER; else mail_user=$(id -un); fi
  mail_group=$(id -gn "$mail_user")
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  as_service_user mkdir -p "$dir/mail"

  log "Starting a throwaway Dovecot $version (IMAP and POP3)"
  for attempt in 1 2 3 4 5; do
    pick_free_port
    imap_port=$FREE_PORT
    pick_free_port
    pop3_port=$FREE_PORT
    [[ $imap_port == "$pop3_port" ]] && continue
    write_dovecot_config "$dir" "$version" "$mail_user" "$mail_group" "$password" "$imap_port" "$pop3_port"
    is_root && chown "$SERVICE_USER": "$dir/dovecot.conf"
    chmod 600 "$dir/dovecot.conf"
    start_log=$dir/start-$attempt.log
    # The master binds its listeners before it goes into the background, so a
    # taken port fails here.
    if as_service_user "$DOVECOT_BIN" -c "$dir/dovecot.conf" >"$start_log" 2>&1; then
      started=1
      break
    fi
    stop_dovecot "$dir"
    grep -qiE 'address already in use' "$start_log" "$dir/dovecot.log" 2>/dev/null || break
    log "Port $imap_port or $pop3_port was taken meanwhile, trying others (attempt $attempt)"
  done
  if [[ -z $started ]]; then
    cat ${start_log:+"$start_log"} "$dir/dovecot.log" >&2 2>/dev/null || true
    die "Dovecot did not start (its output above)"
  fi
  if ! wait_for_greeting "$imap_port" '* O' || ! wait_for_greeting "$pop3_port" '+OK'; then
    cat "$dir/dovecot.log" >&2 2>/dev/null || true
    die "Dovecot did not answer on 127.0.0.1:$imap_port (IMAP) and :$pop3_port (POP3) within ${DOVECOT_START_TIMEOUT}s (log above)"
  fi

  export SWITCHBOARD_TEST_IMAP="host=127.0.0.1;imapPort=$imap_port;pop3Port=$pop3_port;password=$password"
  log "Dovecot is listening on 127.0.0.1:$imap_port (IMAP) and 127.0.0.1:$pop3_port (POP3)"
}

# --- .NET -------------------------------------------------------------------
run_dotnet() {
  local results=$WORK_DIR/test-results rc=0

  log "dotnet restore"
  dotnet restore "$SOLUTION"

  log "dotnet format --verify-no-changes"
  dotnet format "$SOLUTION" --verify-no-changes --no-restore ||
    die "dotnet format reported problems; 'dotnet format $SOLUTION' fixes formatting"

  log "dotnet build"
  dotnet build "$SOLUTION" -c Release --no-restore -warnaserror

  log "dotnet test"
  dotnet test "$SOLUTION" -c Release --no-build \
    --logger "console;verbosity=normal" \
    --logger "trx;LogFilePrefix=results" \
    --results-directory "$results" \
    "$@" || rc=$?

  report_results "$results" "$rc"
}

# trx_counter FILE NAME: one attribute of the <Counters .../> element of a .trx
# file (0 when absent).
trx_counter() {
  local value
  value=$(grep -o '<Counters [^>]*>' "$1" | head -n 1 |
    sed -n "s/.* $2=\"\\([0-9]*\\)\".*/\\1/p" || true)
  printf '%s' "${value:-0}"
}

# report_results DIR RC: sums all .trx files, prints "N passed, N failed[, N skipped]"
# as the last line and exits non-zero unless tests ran and all passed.
report_results() {
  local dir=$1 rc=$2 file name status=0
  local total=0 executed=0 passed=0 failed=0 skipped
  local -a files=()
  [[ -d $dir ]] && mapfile -t files < <(find "$dir" -name '*.trx' -type f)
  for file in "${files[@]}"; do
    total=$((total + $(trx_counter "$file" total)))
    executed=$((executed + $(trx_counter "$file" executed)))
    passed=$((passed + $(trx_counter "$file" passed)))
    for name in failed error timeout aborted; do
      failed=$((failed + $(trx_counter "$file" "$name")))
    done
  done
  skipped=$((total - executed))

  if ((rc != 0)); then
    printf 'test.sh: error: dotnet test exited with code %d\n' "$rc" >&2
    status=1
  fi
  if ((failed > 0)); then
    status=1
  elif ((passed == 0)); then
    printf 'test.sh: error: no tests ran\n' >&2
    status=1
  fi

  echo
  if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  return "$status"
}

# --- browser and front-end tools ------------------------------------------------
# The browser tests drive Debian's Chromium through Playwright (never a downloaded
# browser); the chat widget and other front-end code build with Node.js and npm.
ensure_browser() {
  ensure_pkg chromium test -x /usr/bin/chromium
  export SWITCHBOARD_TEST_CHROMIUM=/usr/bin/chromium
}
ensure_node() {
  ensure_pkg nodejs command -v node
  ensure_pkg npm command -v npm
}

main() {
  ensure_node
  ensure_browser
  start_postgres
  start_dovecot
  run_dotnet "$@"
}

main "$@"
