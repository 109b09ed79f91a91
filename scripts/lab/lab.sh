#!/usr/bin/env bash
# The lab: real Redis, PostgreSQL, their Prometheus exporters, Prometheus and Alertmanager on 127.0.0.1
# (docs/lab.md). Usage: lab.sh install | start | stop | status | env | clean | fault NAME | heal NAME
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lab-env.sh"
source "$lab_scripts/lab-config.sh"
source "$lab_scripts/lab-process.sh"
source "$lab_scripts/lab-faults.sh"

lab_packages=(prometheus prometheus-alertmanager prometheus-redis-exporter prometheus-postgres-exporter
  redis-server postgresql)

say() { printf 'lab: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

postgres_bin() {
  local bin
  for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$bin/initdb" ] && {
      echo "$bin"
      return
    }
  done
  return 1
}

missing_packages() {
  local missing=()
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
  command -v prometheus-redis-exporter >/dev/null || missing+=(prometheus-redis-exporter)
  command -v prometheus-postgres-exporter >/dev/null || missing+=(prometheus-postgres-exporter)
  { command -v redis-server && command -v redis-cli && command -v redis-benchmark; } >/dev/null ||
    missing+=(redis-server)
  { postgres_bin && command -v pg_isready && command -v psql; } >/dev/null || missing+=(postgresql)
  echo "${missing[*]}"
}

cmd_install() {
  local missing
  missing=$(missing_packages)
  if [ -z "$missing" ]; then
    say "install: every package is there"
    return
  fi
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "install: not root and no sudo: install ${lab_packages[*]} yourself"
    sudo=(sudo)
  fi
  say "install: apt-get install $missing"
  local started=$SECONDS policy=/usr/sbin/policy-rc.d made_policy=0
  # Where systemd runs (CI runners), the packages would start their own servers on the default ports
  # (Alertmanager's cluster port is the lab's 9094): policy-rc.d's 101 tells them not to.
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\n# written by aisre scripts/lab/lab.sh install, removed when it ends\nexit 101\n' |
      "${sudo[@]}" tee $policy >/dev/null
    "${sudo[@]}" chmod 755 $policy
    made_policy=1
  fi
  local status=0
  {
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      # shellcheck disable=SC2086 # one word per package
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  } || status=$?
  [ $made_policy = 1 ] && "${sudo[@]}" rm -f $policy
  [ $status = 0 ] || die "install: apt-get failed ($status)"
  missing=$(missing_packages)
  [ -z "$missing" ] || die "install: still missing after apt-get: $missing"
  say "install: done in $((SECONDS - started)) s"
}

# Where PostgreSQL keeps its data: in the state folder when the postgres user can reach it (as root the
# server runs as postgres), otherwise in a private folder under /tmp recorded in the state folder.
postgres_home() {
  if [ -f "$AISRE_LAB_DIR/postgres.home" ]; then
    cat "$AISRE_LAB_DIR/postgres.home"
    return
  fi
  local home=$AISRE_LAB_DIR/postgres
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$AISRE_LAB_DIR"; then
    home=$(mktemp -d "${TMPDIR:-/tmp}/aisre-lab-postgres.XXXXXX")
    chmod 755 "$home"
  fi
  echo "$home" >"$AISRE_LAB_DIR/postgres.home"
  echo "$home"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local bin home data
  bin=$(postgres_bin) || die "start: no PostgreSQL server binaries: run lab.sh install"
  home=$(postgres_home)
  data=$home/data
  mkdir -p "$home/socket"
  [ "$(id -u)" = 0 ] && chown postgres: "$home" "$home/socket"
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"
    local pwfile=$home/pwfile
    printf '%s\n' "$lab_password" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
    as_postgres "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth-local=trust \
      --auth-host=scram-sha-256 --no-sync --no-instructions -E UTF8 >"$AISRE_LAB_DIR/logs/initdb.log" 2>&1 ||
      die "start: initdb failed, see $AISRE_LAB_DIR/logs/initdb.log"
    rm -f "$pwfile"
  fi
  local log=$home/postgres.log
  touch "$log"
  [ "$(id -u)" = 0 ] && chown postgres: "$log"
  as_postgres "$bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 -o "-c listen_addresses=$lab_host \
-c port=$AISRE_LAB_POSTGRES_PORT -c unix_socket_directories=$home/socket -c max_connections=20 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c client_connection_check_interval=1000 \
-c shared_buffers=32MB" >/dev/null 9>&- || die "start: postgres did not start, see $log"
  head -n 1 "$data/postmaster.pid" >"$(pid_file postgres)"
}

start_component() {
  local name=$1 log=$AISRE_LAB_DIR/logs/$1.log dir=$AISRE_LAB_DIR/$1
  case $name in
  prometheus)
    rm -rf "$dir/data"
    write_prometheus_config "$dir"
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --storage.tsdb.retention.time=1d --web.listen-address="$lab_host:${lab_port[$name]}" \
      --web.external-url="$AISRE_LAB_PROMETHEUS_URL" --rules.alert.resend-delay=1s \
      --log.level=warn >"$log" 2>&1 9>&- &
    ;;
  prometheus-auth)
    rm -rf "$dir/data"
    write_prometheus_auth_config "$dir"
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --storage.tsdb.retention.time=1d --web.listen-address="$lab_host:${lab_port[$name]}" \
      --web.external-url="$AISRE_LAB_PROMETHEUS_AUTH_URL" --web.config.file="$dir/web.yml" \
      --log.level=warn >"$log" 2>&1 9>&- &
    ;;
  alertmanager)
    rm -rf "$dir/data"
    write_alertmanager_config "$dir"
    prometheus-alertmanager --config.file="$dir/alertmanager.yml" --storage.path="$dir/data" \
      --web.listen-address="$lab_host:${lab_port[$name]}" --web.external-url="$AISRE_LAB_ALERTMANAGER_URL" \
      --cluster.listen-address= --log.level=warn >"$log" 2>&1 9>&- &
    ;;
  redis)
    mkdir -p "$dir"
    redis-server --bind "$lab_host" --port "${lab_port[$name]}" --requirepass "$lab_password" \
      --save '' --appendonly no --dir "$dir" --maxmemory 64mb --maxmemory-policy allkeys-lru \
      --enable-debug-command local --daemonize no --loglevel warning >"$log" 2>&1 9>&- &
    ;;
  redis-exporter)
    prometheus-redis-exporter -redis.addr "redis://$lab_host:$AISRE_LAB_REDIS_PORT" \
      -redis.password "$lab_password" -web.listen-address "$lab_host:${lab_port[$name]}" >"$log" 2>&1 9>&- &
    ;;
  postgres)
    start_postgres
    return
    ;;
  postgres-exporter)
    DATA_SOURCE_NAME="postgresql://postgres:$lab_password@$lab_host:$AISRE_LAB_POSTGRES_PORT/postgres?sslmode=disable" \
      prometheus-postgres-exporter --web.listen-address="$lab_host:${lab_port[$name]}" \
      --log.level=warn >"$log" 2>&1 9>&- &
    ;;
  esac
  echo $! >"$(pid_file "$name")"
}

wait_ready() {
  local deadline=$((SECONDS + AISRE_LAB_START_TIMEOUT))
  until REDISCLI_AUTH=$lab_password redis-cli -h "$lab_host" -p "$AISRE_LAB_REDIS_PORT" ping 2>/dev/null |
    grep -q PONG; do
    [ $SECONDS -lt $deadline ] || die "start: redis does not answer PING, see $AISRE_LAB_DIR/logs/redis.log"
    assert_running redis
    sleep 0.1
  done
  until pg_isready -q -h "$lab_host" -p "$AISRE_LAB_POSTGRES_PORT"; do
    [ $SECONDS -lt $deadline ] || die "start: postgres is not ready"
    sleep 0.1
  done
  local name
  for name in "${lab_components[@]}"; do assert_running "$name"; done
  node "$lab_scripts/lab-wait.mjs" $((deadline - SECONDS)) ||
    die "start: Prometheus is not ready, see the logs in $AISRE_LAB_DIR/logs"
}

assert_running() {
  is_running "$1" || die "start: $1 exited, see $AISRE_LAB_DIR/logs/$1.log: $(tail -n 3 "$AISRE_LAB_DIR/logs/$1.log" 2>/dev/null | tr '\n' ' ')"
}

write_env() {
  local name
  for name in "${lab_variables[@]}"; do printf 'export %s=%q\n' "$name" "${!name}"; done
}

# A start that fails stops what it started, so nothing is left half running.
start_failed() {
  local name
  say "start: failed: stopping what this start started"
  stop_faults
  for name in "${fresh[@]}"; do stop_component "$name"; done
}

cmd_start() {
  [ -z "$(missing_packages)" ] || die "start: missing packages ($(missing_packages)): run lab.sh install"
  mkdir -p "$AISRE_LAB_DIR/logs" "$AISRE_LAB_DIR/pids"
  local started_ms name
  started_ms=$(date +%s%3N)
  fresh=()
  for name in "${lab_components[@]}"; do
    if ! is_running "$name" && port_in_use "${lab_port[$name]}"; then
      die "start: port ${lab_port[$name]} ($name) is taken by another process: stop it or move the lab (AISRE_LAB_$(echo "$name" | tr a-z- A-Z_)_PORT)"
    fi
  done
  trap start_failed EXIT
  for name in "${lab_components[@]}"; do
    if is_running "$name"; then continue; fi
    fresh+=("$name")
    start_component "$name"
  done
  wait_ready
  trap - EXIT
  write_env >"$AISRE_LAB_DIR/env"
  if [ ${#fresh[@]} -eq 0 ]; then
    say "start: already running (state in $AISRE_LAB_DIR)"
  else
    say "start: ready in $(($(date +%s%3N) - started_ms)) ms (started ${fresh[*]}; state in $AISRE_LAB_DIR)"
  fi
}

cmd_stop() {
  [ -d "$AISRE_LAB_DIR/pids" ] || {
    say "stop: nothing to stop"
    return
  }
  stop_faults
  local name order=(postgres-exporter redis-exporter prometheus prometheus-auth alertmanager redis)
  for name in "${order[@]}"; do stop_component "$name" & done
  local bin home
  if [ -f "$(pid_file postgres)" ] && is_running postgres && bin=$(postgres_bin); then
    home=$(postgres_home)
    as_postgres "$bin/pg_ctl" stop -D "$home/data" -m fast -w -t 30 >/dev/null 2>&1 || true
  fi
  stop_component postgres
  wait
  local left=()
  for name in "${lab_components[@]}"; do is_running "$name" && left+=("$name"); done
  [ ${#left[@]} -eq 0 ] || die "stop: still running: ${left[*]}"
  say "stop: stopped"
}

cmd_status() {
  local name all=0
  for name in "${lab_components[@]}"; do
    if is_running "$name"; then
      printf '%-18s running  pid %-8s 127.0.0.1:%s\n' "$name" "$(cat "$(pid_file "$name")")" "${lab_port[$name]}"
    else
      printf '%-18s stopped\n' "$name"
      all=1
    fi
  done
  return $all
}

cmd_clean() {
  cmd_stop
  if [ -f "$AISRE_LAB_DIR/postgres.home" ]; then rm -rf "$(cat "$AISRE_LAB_DIR/postgres.home")"; fi
  rm -rf "$AISRE_LAB_DIR"
  say "clean: removed $AISRE_LAB_DIR"
}

with_lock() {
  mkdir -p "$AISRE_LAB_DIR"
  exec 9>"$AISRE_LAB_DIR/lock"
  flock 9
  "$@"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
install) cmd_install ;;
start) with_lock cmd_start ;;
stop) with_lock cmd_stop ;;
status) cmd_status ;;
env) write_env ;;
clean) with_lock cmd_clean ;;
fault) with_lock cmd_fault "$@" ;;
heal) with_lock cmd_heal "$@" ;;
*)
  echo "usage: lab.sh install | start | stop | status | env | clean | fault NAME | heal NAME" >&2
  echo "faults: redis-memory, postgres-connections [COUNT] (see docs/lab.md)" >&2
  exit 2
  ;;
esac
