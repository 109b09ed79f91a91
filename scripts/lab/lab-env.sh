# Sourced by lab.sh and with-lab.sh: the lab's settings (docs/lab.md). Every port and the state folder can be
# moved with its AISRE_LAB_* variable; the URLs are derived from the ports, never set on their own.

lab_scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab_repo=$(cd "$lab_scripts/../.." && pwd)

AISRE_LAB_DIR=${AISRE_LAB_DIR:-$lab_repo/.lab}
case $AISRE_LAB_DIR in /*) ;; *) AISRE_LAB_DIR=$PWD/$AISRE_LAB_DIR ;; esac

# AISRE_LAB_PORT_OFFSET shifts every default port at once (a second lab: 100); a port set on its own wins.
lab_offset=${AISRE_LAB_PORT_OFFSET:-0}
[[ $lab_offset =~ ^[0-9]+$ ]] || {
  echo "lab: AISRE_LAB_PORT_OFFSET must be a whole number, not $lab_offset" >&2
  exit 2
}
AISRE_LAB_REDIS_PORT=${AISRE_LAB_REDIS_PORT:-$((6390 + lab_offset))}
AISRE_LAB_POSTGRES_PORT=${AISRE_LAB_POSTGRES_PORT:-$((5440 + lab_offset))}
AISRE_LAB_REDIS_EXPORTER_PORT=${AISRE_LAB_REDIS_EXPORTER_PORT:-$((9121 + lab_offset))}
AISRE_LAB_POSTGRES_EXPORTER_PORT=${AISRE_LAB_POSTGRES_EXPORTER_PORT:-$((9187 + lab_offset))}
AISRE_LAB_PROMETHEUS_PORT=${AISRE_LAB_PROMETHEUS_PORT:-$((9091 + lab_offset))}
AISRE_LAB_PROMETHEUS_AUTH_PORT=${AISRE_LAB_PROMETHEUS_AUTH_PORT:-$((9092 + lab_offset))}
AISRE_LAB_ALERTMANAGER_PORT=${AISRE_LAB_ALERTMANAGER_PORT:-$((9094 + lab_offset))}
AISRE_LAB_WEBHOOK_PORT=${AISRE_LAB_WEBHOOK_PORT:-$((9095 + lab_offset))}
AISRE_LAB_START_TIMEOUT=${AISRE_LAB_START_TIMEOUT:-90}

# Fixed, public test credentials: nothing in the lab is reachable from outside 127.0.0.1.
lab_password=aisre-lab
lab_auth_user=aisre
# bcrypt (cost 10) of "aisre-lab", for Prometheus's --web.config.file (made with perl's crypt).
lab_auth_bcrypt='$2b$10$Q9kJ3mZ2xW8vN5tR7pL1sOW9GlbG45X25xpJTeZdpYbSDX01A4UfG'
lab_namespace=lab

lab_host=127.0.0.1
AISRE_LAB_REDIS_URL="redis://:$lab_password@$lab_host:$AISRE_LAB_REDIS_PORT"
AISRE_LAB_POSTGRES_URL="postgresql://postgres:$lab_password@$lab_host:$AISRE_LAB_POSTGRES_PORT/postgres"
AISRE_LAB_REDIS_EXPORTER_URL="http://$lab_host:$AISRE_LAB_REDIS_EXPORTER_PORT"
AISRE_LAB_POSTGRES_EXPORTER_URL="http://$lab_host:$AISRE_LAB_POSTGRES_EXPORTER_PORT"
AISRE_LAB_PROMETHEUS_URL="http://$lab_host:$AISRE_LAB_PROMETHEUS_PORT"
AISRE_LAB_PROMETHEUS_AUTH_URL="http://$lab_host:$AISRE_LAB_PROMETHEUS_AUTH_PORT"
AISRE_LAB_PROMETHEUS_AUTH_USER=$lab_auth_user
AISRE_LAB_PROMETHEUS_AUTH_PASSWORD=$lab_password
AISRE_LAB_ALERTMANAGER_URL="http://$lab_host:$AISRE_LAB_ALERTMANAGER_PORT"
AISRE_LAB_WEBHOOK_URL="http://$lab_host:$AISRE_LAB_WEBHOOK_PORT/alertmanager"
AISRE_LAB_REDIS_ENTITY="redis:$lab_namespace/cache"
AISRE_LAB_POSTGRES_ENTITY="postgres:$lab_namespace/db"

# Every variable a test reads, in the order `lab.sh env` prints them.
lab_variables=(
  AISRE_LAB_DIR
  AISRE_LAB_REDIS_PORT AISRE_LAB_POSTGRES_PORT AISRE_LAB_REDIS_EXPORTER_PORT AISRE_LAB_POSTGRES_EXPORTER_PORT
  AISRE_LAB_PROMETHEUS_PORT AISRE_LAB_PROMETHEUS_AUTH_PORT AISRE_LAB_ALERTMANAGER_PORT AISRE_LAB_WEBHOOK_PORT
  AISRE_LAB_REDIS_URL AISRE_LAB_POSTGRES_URL AISRE_LAB_REDIS_EXPORTER_URL AISRE_LAB_POSTGRES_EXPORTER_URL
  AISRE_LAB_PROMETHEUS_URL AISRE_LAB_PROMETHEUS_AUTH_URL AISRE_LAB_PROMETHEUS_AUTH_USER
  AISRE_LAB_PROMETHEUS_AUTH_PASSWORD AISRE_LAB_ALERTMANAGER_URL AISRE_LAB_WEBHOOK_URL
  AISRE_LAB_REDIS_ENTITY AISRE_LAB_POSTGRES_ENTITY
)

export "${lab_variables[@]}"

# The components, in start order (the slow starters first) and their ports.
lab_components=(prometheus prometheus-auth alertmanager redis redis-exporter postgres postgres-exporter)
declare -A lab_port=(
  [prometheus]=$AISRE_LAB_PROMETHEUS_PORT
  [prometheus-auth]=$AISRE_LAB_PROMETHEUS_AUTH_PORT
  [alertmanager]=$AISRE_LAB_ALERTMANAGER_PORT
  [redis]=$AISRE_LAB_REDIS_PORT
  [redis-exporter]=$AISRE_LAB_REDIS_EXPORTER_PORT
  [postgres]=$AISRE_LAB_POSTGRES_PORT
  [postgres-exporter]=$AISRE_LAB_POSTGRES_EXPORTER_PORT
)
# The executable each component's PID must run (checked in /proc so a reused PID is never taken for ours).
declare -A lab_binary=(
  [prometheus]=prometheus
  [prometheus-auth]=prometheus
  [alertmanager]=prometheus-alertmanager
  [redis]=redis-server
  [redis-exporter]=prometheus-redis-exporter
  [postgres]=postgres
  [postgres-exporter]=prometheus-postgres-exporter
)
