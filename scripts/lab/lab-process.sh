# Sourced by lab.sh: PIDs of the lab's daemons, liveness through /proc, and stopping by PID.

pid_file() { echo "$AISRE_LAB_DIR/pids/$1.pid"; }

# True when the PID recorded for the component is alive (not a zombie) and still runs its executable, so a
# PID reused by an unrelated process is never taken for the lab's.
is_running() {
  local file pid state argv0
  file=$(pid_file "$1")
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  # The state is the field after the parenthesised command name.
  state=$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] && [ "$state" != X ] || return 1
  argv0=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1)
  argv0=${argv0%% *}
  [ "${argv0##*/}" = "${lab_binary[$1]}" ]
}

# True when something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/$lab_host/$1") 2>/dev/null
}

# Sends TERM, waits up to 15 s for the process to end (a zombie counts as ended), then KILL.
stop_component() {
  local name=$1 file pid waited=0
  file=$(pid_file "$name")
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if is_running "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    while is_running "$name" && [ $waited -lt 150 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    if is_running "$name"; then
      say "stop: $name (pid $pid) ignored TERM for 15 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  is_running "$name" || rm -f "$file"
}
