#!/usr/bin/env bash
# Starts the lab (installing the packages when missing), runs CMD with the lab's AISRE_LAB_* variables
# exported, stops the lab (also when CMD fails or is interrupted) and exits with CMD's status.
# A lab that was already running is used and left running. Usage: with-lab.sh CMD [ARGS…]
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lab-env.sh"
lab=$lab_scripts/lab.sh

if [ $# -eq 0 ]; then
  echo "usage: with-lab.sh CMD [ARGS…]" >&2
  exit 2
fi

was_running=0
bash "$lab" status >/dev/null 2>&1 && was_running=1

stopped=0
stop_lab() {
  [ $stopped = 1 ] && return
  stopped=1
  if [ $was_running = 1 ]; then
    echo "lab: left running (it was running before): bash scripts/lab/lab.sh stop" >&2
  else
    bash "$lab" stop
  fi
}

# CMD runs in the background so that a signal reaches the traps at once (bash defers traps while a
# foreground command runs); the signal is passed on to CMD, then the lab stops.
command_pid=
on_signal() {
  if [ -n "$command_pid" ]; then
    kill -TERM "$command_pid" 2>/dev/null
    wait "$command_pid" 2>/dev/null
  fi
  stop_lab
  exit "$1"
}
trap stop_lab EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

bash "$lab" install || exit 1
bash "$lab" start || exit 1

"$@" <&0 &
command_pid=$!
wait "$command_pid"
status=$?
command_pid=
stop_lab
exit $status
