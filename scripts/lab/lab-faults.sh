# Sourced by lab.sh: real faults in the lab's Redis and PostgreSQL, and their removal (docs/lab.md).
#   fault redis-memory                              fill Redis past maxmemory (64 MB): used = max, evictions climb
#   fault postgres-connections [COUNT] [STATE]      hold COUNT (default 16) sessions: idle (default),
#                                                   idle-in-transaction or active; 16 + the exporter's 2 = 18 of 20
#   heal redis-memory | postgres-connections        remove the fault (FLUSHALL / end the sessions)

fault_app_name=aisre-lab-fault

redis_command() {
  REDISCLI_AUTH=$lab_password redis-cli -h "$lab_host" -p "$AISRE_LAB_REDIS_PORT" "$@"
}

postgres_query() {
  PGPASSWORD=$lab_password psql -h "$lab_host" -p "$AISRE_LAB_POSTGRES_PORT" -U postgres -d postgres \
    -X -A -t -q -c "$1"
}

redis_info_field() {
  redis_command INFO "$1" | tr -d '\r' | sed -n "s/^$2://p"
}

fault_redis_memory() {
  is_running redis || die "fault: redis is not running: run lab.sh start"
  local max
  max=$(redis_info_field memory maxmemory)
  # 150k random keys of 1 KiB (about 2.5 x maxmemory): used memory reaches the limit and keys are evicted.
  redis-benchmark -h "$lab_host" -p "$AISRE_LAB_REDIS_PORT" -a "$lab_password" -t set -n 150000 \
    -d 1024 -r 100000000 -P 32 -c 4 -q >/dev/null 2>&1 || die "fault: redis-benchmark failed"
  local used evicted
  used=$(redis_info_field memory used_memory)
  evicted=$(redis_info_field stats evicted_keys)
  say "fault redis-memory: used_memory $used of maxmemory $max, evicted_keys $evicted"
  [ "$evicted" -gt 0 ] || die "fault: redis evicted nothing (used $used of $max)"
}

heal_redis_memory() {
  redis_command FLUSHALL >/dev/null
  say "heal redis-memory: flushed; used_memory $(redis_info_field memory used_memory)"
}

fault_postgres_connections() {
  local count=${1:-16} state=${2:-idle}
  is_running postgres || die "fault: postgres is not running: run lab.sh start"
  [[ $count =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] || die "fault: COUNT must be a positive number, not $count"
  local commands=()
  case $state in
  idle) ;;
  idle-in-transaction) commands=(-c 'BEGIN' -c 'SELECT txid_current()') ;;
  active) commands=(-c 'SELECT pg_sleep(3600)') ;;
  *) die "fault: STATE must be idle, idle-in-transaction or active, not $state" ;;
  esac
  mkdir -p "$AISRE_LAB_DIR/faults"
  local pids=$AISRE_LAB_DIR/faults/postgres-connections.pids i
  for ((i = 0; i < count; i++)); do
    # psql waits in `\!` (a sleep it started) with its session open; heal ends the sleep and the session.
    PGPASSWORD=$lab_password PGAPPNAME=$fault_app_name psql -h "$lab_host" -p "$AISRE_LAB_POSTGRES_PORT" \
      -U postgres -d postgres -X -q "${commands[@]}" -c '\! exec sleep 3600' >/dev/null 2>&1 9>&- &
    echo $! >>"$pids"
  done
  local deadline=$((SECONDS + 20)) held=0
  while [ $SECONDS -lt $deadline ]; do
    held=$(postgres_query "select count(*) from pg_stat_activity where application_name = '$fault_app_name'" || echo 0)
    [ "$held" -ge "$count" ] && break
    sleep 0.1
  done
  say "fault postgres-connections: $held sessions held ($state); $(postgres_query 'select count(*) from pg_stat_activity where backend_type = $$client backend$$') client backends of $(postgres_query 'show max_connections')"
  [ "$held" -ge "$count" ] || die "fault: only $held of $count sessions connected"
}

# The PIDs whose parent is listed in FILE (from /proc: field 4 of stat is the parent's PID), in one pass.
children_of() {
  sed -E 's/^([0-9]+) \(.*\) [A-Za-z] ([0-9]+) .*/\1 \2/' /proc/[0-9]*/stat 2>/dev/null |
    awk 'NR == FNR { parent[$1]; next } ($2 in parent) { print $1 }' "$1" -
}

# True when PID is alive and runs the executable NAME (a reused PID is left alone).
runs() {
  local argv0
  argv0=$(tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | head -n 1) || return 1
  [ "${argv0##*/}" = "$2" ]
}

heal_postgres_connections() {
  local pids=$AISRE_LAB_DIR/faults/postgres-connections.pids pid
  [ -f "$pids" ] || return 0
  # The sleeps psql started (their children), then psql itself: recorded PIDs and their own children only.
  for pid in $(children_of "$pids"); do runs "$pid" sleep && kill -TERM "$pid" 2>/dev/null; done
  for pid in $(cat "$pids"); do runs "$pid" psql && kill -TERM "$pid" 2>/dev/null; done
  if is_running postgres; then
    postgres_query "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '$fault_app_name'" >/dev/null || true
  fi
  local deadline=$((SECONDS + 10)) alive
  while [ $SECONDS -lt $deadline ]; do
    alive=0
    while read -r pid; do runs "$pid" psql && ! grep -q ') Z' "/proc/$pid/stat" && alive=1; done <"$pids"
    [ $alive = 0 ] && break
    sleep 0.1
  done
  rm -f "$pids"
  say "heal postgres-connections: sessions ended"
}

stop_faults() {
  heal_postgres_connections
}

cmd_fault() {
  case ${1:-} in
  redis-memory) fault_redis_memory ;;
  postgres-connections) fault_postgres_connections "${@:2}" ;;
  *) die "fault: unknown fault '${1:-}': redis-memory or postgres-connections [COUNT] [STATE]" ;;
  esac
}

cmd_heal() {
  case ${1:-} in
  redis-memory) heal_redis_memory ;;
  postgres-connections) heal_postgres_connections ;;
  *) die "heal: unknown fault '${1:-}': redis-memory or postgres-connections" ;;
  esac
}
