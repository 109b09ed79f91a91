# Sourced by lab.sh: writes the configuration files of Prometheus, the authenticated Prometheus and
# Alertmanager into the state folder. Settings come from lab-env.sh.

# Labels every scrape target carries: the default entity mapping of @aisre/connector-prometheus turns
# {entity_kind}:{namespace}/{service} into the entity refs AISRE_LAB_REDIS_ENTITY and AISRE_LAB_POSTGRES_ENTITY.
write_prometheus_config() {
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $dir/rules.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['$lab_host:$AISRE_LAB_ALERTMANAGER_PORT']
scrape_configs:
  - job_name: redis
    static_configs:
      - targets: ['$lab_host:$AISRE_LAB_REDIS_EXPORTER_PORT']
        labels: { entity_kind: redis, namespace: $lab_namespace, service: cache, team: cache }
  - job_name: postgres
    static_configs:
      - targets: ['$lab_host:$AISRE_LAB_POSTGRES_EXPORTER_PORT']
        labels: { entity_kind: postgres, namespace: $lab_namespace, service: db, team: db }
  - job_name: prometheus
    static_configs:
      - targets: ['$lab_host:$AISRE_LAB_PROMETHEUS_PORT']
        labels: { entity_kind: prometheus, namespace: $lab_namespace, service: prometheus, team: sre }
EOF
  # Alert labels keep the entity labels (by clauses name them) so alerts map to the same refs as the series.
  cat >"$dir/rules.yml" <<'EOF'
groups:
  - name: aisre-lab
    interval: 1s
    rules:
      - alert: RedisMemoryHigh
        expr: redis_memory_used_bytes / redis_memory_max_bytes > 0.8 and redis_memory_max_bytes > 0
        for: 5s
        labels:
          severity: critical
          symptom_metric: redis_memory_used_bytes
        annotations:
          summary: 'Redis {{ $labels.service }} memory at {{ $value | humanizePercentage }} of maxmemory'
          description: 'used_memory / maxmemory on {{ $labels.instance }} has been above 80% for 5s'
          runbook_url: https://example.invalid/runbooks/redis-memory
      - alert: PostgresConnectionsHigh
        expr: >-
          sum by (instance, job, entity_kind, namespace, service, team) (pg_stat_activity_count)
          / on (instance, job, entity_kind, namespace, service, team)
          max by (instance, job, entity_kind, namespace, service, team) (pg_settings_max_connections) > 0.8
        for: 5s
        labels:
          severity: warning
          symptom_metric: pg_stat_database_numbackends
        annotations:
          summary: 'Postgres {{ $labels.service }} using {{ $value | humanizePercentage }} of max_connections'
          description: 'connections / max_connections on {{ $labels.instance }} has been above 80% for 5s'
EOF
}

# A second, empty Prometheus that requires basic auth (user aisre, password aisre-lab): the connector's
# credential paths are tested against it. It scrapes only itself, with the same credentials.
write_prometheus_auth_config() {
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/web.yml" <<EOF
basic_auth_users:
  $lab_auth_user: '$lab_auth_bcrypt'
EOF
  cat >"$dir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: prometheus-auth
    basic_auth: { username: $lab_auth_user, password: $lab_password }
    static_configs:
      - targets: ['$lab_host:$AISRE_LAB_PROMETHEUS_AUTH_PORT']
        labels: { entity_kind: prometheus, namespace: $lab_namespace, service: prometheus-auth }
EOF
}

write_alertmanager_config() {
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/alertmanager.yml" <<EOF
route:
  receiver: aisre
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: aisre
    webhook_configs:
      - url: '$AISRE_LAB_WEBHOOK_URL'
        send_resolved: true
        max_alerts: 0
EOF
}
