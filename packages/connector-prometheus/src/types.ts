import type {
  Clock,
  Connector,
  EntityRef,
  EnvironmentVariables,
  FetchFunction,
  Labels,
  Logger,
  RandomSource,
  RetryPolicy,
  Severity,
  Signal,
  Sleep,
} from '@aisre/core';

/**
 * How Prometheus labels become entity refs (`kind:namespace/name`). The first rule that applies wins:
 *
 * 1. `entityLabel`: a label whose value is a whole entity ref (default `entity`);
 * 2. `templates`, in order: `kind:namespace/name` patterns whose `{label}` placeholders are replaced by label
 *    values; `{a|b}` takes the first of `a`, `b` that the series has. A template applies when every
 *    placeholder found a value and the result is a well-formed ref. Characters a ref cannot hold become `_`
 *    (`-` in the kind, which is also lower-cased).
 *
 * The same rules run backwards to select an entity's series (`metrics.range` with an `entity`).
 */
export interface EntityMappingOptions {
  /** A label holding a complete entity ref, used when well-formed. Default `entity`; `null` turns it off. */
  entityLabel?: string | null;
  /** Templates tried in order. Default {@link defaultEntityTemplates}. */
  templates?: readonly string[];
}

/** How alert labels become a {@link Severity}. */
export interface SeverityMappingOptions {
  /** The label to read. Default `severity`. */
  label?: string;
  /** Values (case-insensitive) to severities, merged over {@link defaultSeverities}. `P1`…`P5` always map to themselves. */
  values?: Readonly<Record<string, Severity>>;
  /** The severity of alerts without the label or with an unknown value. Default `P3`. */
  fallback?: Severity;
}

/** The settings every part of the connector shares: entity and severity mapping. */
export interface PrometheusMappingOptions {
  /** Labels to entity refs. */
  entities?: EntityMappingOptions;
  /** Alert labels to severities. */
  severity?: SeverityMappingOptions;
}

/**
 * Options of {@link createPrometheusConnector}. Each setting comes from its option first, then from its
 * environment variable, then from its default.
 */
export interface PrometheusConnectorOptions extends PrometheusMappingOptions {
  /**
   * The API root: the URL that `/api/v1/query` is appended to. Env `PROMETHEUS_URL`. Default
   * `http://localhost:9090`. VictoriaMetrics: `http://host:8428` (single node) or
   * `http://vmselect:8481/select/0/prometheus` (cluster). Credentials in the URL (`https://user:pass@host`)
   * are sent as basic auth.
   */
  baseURL?: string;
  /** A bearer token, sent as `Authorization: Bearer …`. Env `PROMETHEUS_BEARER_TOKEN`. */
  bearerToken?: string;
  /** Basic auth user. Env `PROMETHEUS_USERNAME`. */
  username?: string;
  /** Basic auth password. Env `PROMETHEUS_PASSWORD`. */
  password?: string;
  /** Extra headers sent with every request (e.g. `X-Scope-OrgID` for Mimir, Cortex, Thanos tenants). */
  headers?: Record<string, string>;
  /** The connector's name (tool providers and steps carry it). Default `prometheus`. */
  name?: string;
  /** How long one HTTP attempt may take, milliseconds. Env `PROMETHEUS_TIMEOUT_MS`. Default 30000. */
  timeoutMs?: number;
  /** Retries of 408, 429, 5xx answers and network errors (honouring `Retry-After`), merged over core's `defaultRetryPolicy`. */
  retry?: Partial<RetryPolicy>;
  /**
   * The scrape interval, milliseconds: counters are read as `rate(x[w])` with
   * `w = max(step + scrapeInterval, 4 × scrapeInterval)` (Grafana's `$__rate_interval`). Default 15000.
   */
  scrapeIntervalMs?: number;
  /** At most this many points per series in `metrics.range` (the step grows to fit). Default 600. */
  maxPoints?: number;
  /** How far back `metrics.list` and `topology.scan` look for series, milliseconds. Default 3600000 (1 h). */
  listLookbackMs?: number;
  /** At most this many series read by `metrics.list`; more are cut and a warning is logged. Default 20000. */
  maxSeries?: number;
  /**
   * Labels Prometheus adds to the alerts it sends to Alertmanager (its `global.external_labels`), so the
   * alerts `signals.list` reads carry the same labels and fingerprints as the Alertmanager webhook's.
   */
  externalLabels?: Labels;
  /** The `fetch` to call. Default the global `fetch`. */
  fetch?: FetchFunction;
  /** Waits between retries. Default real timers. */
  sleep?: Sleep;
  /** Jitter of the backoff, in `[0, 1)`. Default `Math.random`. */
  random?: RandomSource;
  /** Where environment variables are read. Default `process.env`. */
  env?: EnvironmentVariables;
}

/** A Prometheus (or VictoriaMetrics) connector: the standard {@link Connector} plus its base URL. */
export interface PrometheusConnector extends Connector {
  /** The API root it calls, without credentials. */
  readonly baseURL: string;
}

/** One alert of an Alertmanager webhook that could not be turned into a signal. */
export interface WebhookProblem {
  /** The alert's index in `alerts` (absent when the whole payload is unusable). */
  index?: number;
  /** What was wrong. */
  message: string;
}

/** What an Alertmanager webhook payload became. */
export interface WebhookConversion {
  /** One signal per usable alert, in payload order. */
  signals: Signal[];
  /** The alerts that could not be used, each with why. */
  problems: WebhookProblem[];
  /** Alerts Alertmanager left out of the payload (its `max_alerts`); they are not malformed. */
  truncatedAlerts: number;
}

/** Options of {@link parseAlertmanagerWebhook} and {@link createAlertmanagerReceiver}. */
export interface AlertmanagerWebhookOptions extends PrometheusMappingOptions {
  /** The signals' `source`. Default `alertmanager`. */
  source?: string;
}

/** Options of {@link createAlertmanagerReceiver}. */
export interface AlertmanagerReceiverOptions extends AlertmanagerWebhookOptions {
  /**
   * Called once per new signal: a firing alert, then its resolution. A re-delivery of the same alert in
   * the same status (Alertmanager repeats notifications and re-sends whole groups) is not passed on.
   * A rejection or throw is logged and does not fail the delivery.
   */
  onSignal?: (signal: Signal) => void | Promise<void>;
  /** How many (fingerprint, start, status) keys to remember for deduplication. Default 10000. */
  memory?: number;
  /** The largest body accepted, bytes. Default 1048576 (1 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** A token Alertmanager must send (`http_config.authorization.credentials`), checked as `Authorization: Bearer …`. */
  bearerToken?: string;
  /** Where failures are logged. Default silent. */
  logger?: Logger;
  /** Stamps `receivedAt` in the results. Default the system clock. */
  clock?: Clock;
}

/** What the receiver did with one delivery. */
export interface WebhookReceipt {
  /** When it arrived, epoch milliseconds. */
  receivedAt: number;
  /** Signals new to this receiver, passed to `onSignal` and subscribers. */
  accepted: Signal[];
  /** Signals already received in the same status (re-deliveries), not passed on. */
  duplicates: Signal[];
  /** Alerts that could not be used. */
  problems: WebhookProblem[];
}

/** A minimal view of node's `IncomingMessage`: what the handler reads. */
export interface WebhookRequest extends AsyncIterable<Uint8Array | string> {
  /** The HTTP method. */
  method?: string | undefined;
  /** Request headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
}

/** A minimal view of node's `ServerResponse`: what the handler writes. */
export interface WebhookResponse {
  /** Sets the status and headers. */
  writeHead(status: number, headers?: Record<string, string>): unknown;
  /** Writes the body and ends the response. */
  end(body?: string): unknown;
}

/** An Alertmanager webhook receiver to mount on a host's HTTP server. */
export interface AlertmanagerReceiver {
  /**
   * The node handler: `http.createServer(receiver.handle)`, or `app.post('/alertmanager', receiver.handle)`
   * in Express (without a body parser in front). Answers 200 with the receipt's counts, 400 with the typed
   * error for a malformed body (the usable alerts of a partly malformed payload are still processed),
   * 401 for a wrong token, 405 for other methods, 413 for a body that is too large.
   */
  handle(request: WebhookRequest, response: WebhookResponse): Promise<void>;
  /** The same without HTTP: takes a parsed (or raw JSON) body, deduplicates, calls `onSignal` and subscribers. */
  receive(body: unknown): Promise<WebhookReceipt>;
  /** Calls `listener` for each new signal until the returned function is called or `signal` aborts. */
  subscribe(listener: (signal: Signal) => void, options?: { signal?: AbortSignal }): () => void;
  /** A connector whose `signals` capability lists what was received and delivers new signals to subscribers. */
  connector(name?: string): Connector;
}

/** A resolved entity-mapping: both directions. */
export interface EntityMapper {
  /** The ref of a series or alert, or undefined when no rule applies. */
  entityOf(labels: Labels): EntityRef | undefined;
  /**
   * Label matchers (PromQL, without braces) whose union holds every series that maps to `entity`, or
   * `undefined` when the rules cannot narrow it (then every series is read and filtered).
   */
  selectorsOf(entity: EntityRef): string[] | undefined;
  /** The labels the rules read and `job`: they identify the entity, not a series of it (`instance` is kept). */
  readonly identityLabels: ReadonlySet<string>;
}
