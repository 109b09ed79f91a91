import { GLOBAL_NAMESPACE } from './entity-ref';
import { joined } from './flat-text';
import type { NodeKind } from './node-kinds';
import { sanitisedUrl } from './secret-redaction';

/** A network endpoint found in configuration, with credentials already stripped. */
export interface ConnectionEndpoint {
  /** URL scheme, lower case (`redis`, `postgres`, `http`), when the value was a URL. */
  readonly scheme: string | undefined;
  /** Host name, lower case. */
  readonly host: string;
  /** Port, when given. */
  readonly port: number | undefined;
  /** The endpoint as stored: `scheme://user@host:port/path` or `host:port`, never a password. */
  readonly endpoint: string;
}

/** Where a dependency found in configuration points. */
export interface ConnectionTarget extends ConnectionEndpoint {
  /** The target's node kind. */
  readonly kind: NodeKind;
  /** The target's namespace ({@link GLOBAL_NAMESPACE} outside the cluster). */
  readonly namespace: string;
  /** The target's name (the Service name, or the host outside the cluster). */
  readonly name: string;
  /** Whether the host is a cluster DNS name. */
  readonly inCluster: boolean;
  /** Whether the kind came from the scheme, the port or the setting name (not a default). */
  readonly explicitKind: boolean;
}

/** What {@link resolveConnectionTarget} needs to know about the cluster. */
export interface ConnectionContext {
  /** Namespace of the workload the configuration belongs to. */
  readonly namespace: string;
  /** Whether a namespace exists (to tell `cart-db.shop` from `api.example`). */
  readonly isNamespace: (namespace: string) => boolean;
  /** The kind already known for a Service name in a namespace, if any. */
  readonly knownKind?: (namespace: string, name: string) => NodeKind | undefined;
}

const urlPattern =
  /^([a-z][a-z0-9+.-]*):\/\/(?:([^@/?#\s]*)@)?(\[[^\]\s]+\]|[^:/?#,\s]+)(?::(\d{1,5}))?([^?#,\s]*)(?:\?([^#\s]*))?/i;
const hostPortPattern =
  /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::(\d{1,5}))?$/i;
const ipv4Pattern = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const keyValueHost =
  /(?:^|[\s;])(?:host|server|data source|address|addr)\s*=\s*(?:tcp:)?([^\s;,]+)(?:,(\d{1,5}))?/i;
const keyValuePort = /(?:^|[\s;])port\s*=\s*(\d{1,5})/i;
const urlInText = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

const schemeKinds: Readonly<Record<string, NodeKind>> = {
  redis: 'redis',
  rediss: 'redis',
  'redis+sentinel': 'redis',
  valkey: 'redis',
  postgres: 'postgres',
  postgresql: 'postgres',
  pgsql: 'postgres',
  amqp: 'queue',
  amqps: 'queue',
  kafka: 'queue',
  nats: 'queue',
  sqs: 'queue',
  pulsar: 'queue',
  mqtt: 'queue',
};

const portKinds: Readonly<Record<number, NodeKind>> = {
  6379: 'redis',
  6380: 'redis',
  26379: 'redis',
  5432: 'postgres',
  6432: 'postgres',
  5672: 'queue',
  9092: 'queue',
  4222: 'queue',
  6650: 'queue',
  1883: 'queue',
};

const nameTokenKinds: Readonly<Record<string, NodeKind>> = {
  REDIS: 'redis',
  VALKEY: 'redis',
  REDISHOST: 'redis',
  POSTGRES: 'postgres',
  POSTGRESQL: 'postgres',
  PG: 'postgres',
  PGHOST: 'postgres',
  PSQL: 'postgres',
  KAFKA: 'queue',
  RABBITMQ: 'queue',
  RABBIT: 'queue',
  AMQP: 'queue',
  NATS: 'queue',
  BROKER: 'queue',
  BROKERS: 'queue',
  QUEUE: 'queue',
  MQ: 'queue',
};

const connectionNameSuffix =
  /_(URL|URI|DSN|HOST|HOSTNAME|ADDR|ADDRESS|ENDPOINT|SERVER|SERVERS|BROKER|BROKERS|BOOTSTRAP_SERVERS|CONNECTION|CONNECTION_STRING|CONN|CONNSTR)$/;

/**
 * Parses a configuration value that may name a network endpoint: a URL (`redis://…`,
 * `postgres://…`, `jdbc:postgresql://…`), a `host:port` (lists: the first one), or a key/value
 * connection string (`host=cart-db port=5432 …`, `Server=…;Port=…`). Credentials are dropped.
 *
 * @param value - The value.
 * @returns The endpoint, or `undefined` when there is none (plain words, IP addresses, localhost).
 */
export function parseConnectionValue(value: string): ConnectionEndpoint | undefined {
  const text = value.trim().replace(/^jdbc:/i, '');
  if (text === '' || text.includes('$(') || text.includes('${')) return undefined;
  const url = urlPattern.exec(text);
  if (url !== null) {
    const scheme = (url[1] as string).toLowerCase();
    const host = (url[3] as string).toLowerCase();
    const port = url[4] === undefined ? undefined : Number(url[4]);
    if (!usableHost(host)) return undefined;
    const user = url[2]?.split(':')[0];
    return { scheme, host, port, endpoint: sanitisedUrl(scheme, user, host, port, url[5], url[6]) };
  }
  const keyValue = keyValueHost.exec(text);
  if (keyValue !== null) {
    const [hostPart, portPart] = (keyValue[1] as string).split(':');
    const host = (hostPart as string).toLowerCase();
    const portText = keyValue[2] ?? portPart ?? keyValuePort.exec(text)?.[1];
    const port = portText === undefined ? undefined : Number(portText);
    if (!usableHost(host)) return undefined;
    return {
      scheme: undefined,
      host,
      port,
      endpoint: port === undefined ? host : joined(host, ':', String(port)),
    };
  }
  const first = (text.split(/[,\s]/)[0] as string).trim();
  const hostPort = hostPortPattern.exec(first);
  if (hostPort === null) return undefined;
  const host = (hostPort[1] as string).toLowerCase();
  const port = hostPort[2] === undefined ? undefined : Number(hostPort[2]);
  if (!usableHost(host) || /^\d+$/.test(host)) return undefined;
  return {
    scheme: undefined,
    host,
    port,
    endpoint: port === undefined ? host : joined(host, ':', String(port)),
  };
}

function usableHost(host: string): boolean {
  return host !== '' && host !== 'localhost' && !host.startsWith('[') && !ipv4Pattern.test(host);
}

/**
 * Whether an environment variable (or configuration key) should be read as a connection target:
 * its value is a URL, or its name ends like one (`_URL`, `_HOST`, `_ADDR`, `_DSN`, `_BROKERS`, ...).
 *
 * @param name - Variable or key name.
 * @param value - Its value.
 * @returns Whether to parse it.
 */
export function isConnectionSetting(name: string, value: string): boolean {
  if (value.includes('://')) return true;
  const upper = name.toUpperCase();
  if (upper === 'PGHOST' || upper === 'REDISHOST' || upper === 'DATABASE_URL') return true;
  if (connectionNameSuffix.test(upper)) return true;
  return keyValueHost.test(value);
}

/** Setting names read so far (`null`: no kind), forgotten past {@link MAX_REMEMBERED_NAMES}. */
const settingNameKinds = new Map<string, NodeKind | null>();
const MAX_REMEMBERED_NAMES = 4096;

/**
 * The kind a variable name hints at: `REDIS_URL` → redis, `PG_HOST` → postgres, `KAFKA_BROKERS` → queue.
 *
 * @param name - Variable or key name.
 * @returns The hinted kind, if any.
 */
export function kindFromSettingName(name: string): NodeKind | undefined {
  // Clusters repeat variable names (`DATABASE_URL` in every workload): each is read once.
  const known = settingNameKinds.get(name);
  if (known !== undefined) return known ?? undefined;
  let kind: NodeKind | null = null;
  for (const token of name.toUpperCase().split(/[^A-Z0-9]+/)) {
    const tokenKind = nameTokenKinds[token];
    if (tokenKind !== undefined) {
      kind = tokenKind;
      break;
    }
  }
  if (settingNameKinds.size >= MAX_REMEMBERED_NAMES) settingNameKinds.clear();
  settingNameKinds.set(name, kind);
  return kind ?? undefined;
}

/**
 * The kind a scheme or a port implies: `redis://`, `postgresql://`, port 6379, port 5432, ...
 *
 * @param scheme - URL scheme, if any.
 * @param port - Port, if any.
 * @returns The kind, if the scheme or port tells.
 */
export function kindFromSchemeOrPort(
  scheme: string | undefined,
  port: number | undefined,
): NodeKind | undefined {
  if (scheme !== undefined) {
    const kind = schemeKinds[scheme];
    if (kind !== undefined) return kind;
  }
  return port === undefined ? undefined : portKinds[port];
}

/**
 * Resolves an endpoint to an entity: cluster DNS names (`name`, `name.namespace`,
 * `name.namespace.svc.cluster.local`, `pod-0.name.namespace.svc…`) become the Service in its
 * namespace; other host names become `external:global/<host>`. The kind comes from the scheme,
 * the port, the setting name, what the cluster already knows, in that order; else `service`
 * (inside the cluster) or `external`.
 *
 * @param endpoint - The parsed endpoint.
 * @param settingName - The variable or key it came from.
 * @param context - Namespace of the workload and what the cluster knows.
 * @param portHint - A port given separately (`REDIS_PORT`), if any.
 * @returns The target.
 */
export function resolveConnectionTarget(
  endpoint: ConnectionEndpoint,
  settingName: string,
  context: ConnectionContext,
  portHint?: number,
): ConnectionTarget {
  const host = endpoint.host.endsWith('.') ? endpoint.host.slice(0, -1) : endpoint.host;
  const labels = host.split('.');
  let namespace = context.namespace;
  let name = labels[0] as string;
  let inCluster = true;
  const svc = labels.indexOf('svc');
  if (svc >= 2) {
    name = labels[svc - 2] as string;
    namespace = labels[svc - 1] as string;
  } else if (labels.length === 2 && context.isNamespace(labels[1] as string)) {
    namespace = labels[1] as string;
  } else if (labels.length > 1) {
    inCluster = false;
    namespace = GLOBAL_NAMESPACE;
    name = endpoint.host;
  }
  const explicit =
    kindFromSchemeOrPort(endpoint.scheme, endpoint.port ?? portHint) ?? kindFromSettingName(settingName);
  const kind =
    explicit ??
    (inCluster ? context.knownKind?.(namespace, name) : undefined) ??
    (inCluster ? 'service' : 'external');
  return {
    scheme: endpoint.scheme,
    host: endpoint.host,
    port: endpoint.port,
    endpoint: endpoint.endpoint,
    kind,
    namespace,
    name,
    inCluster,
    explicitKind: explicit !== undefined,
  };
}

/**
 * Finds URLs inside free text (a configuration file mounted from a ConfigMap).
 *
 * @param text - The text.
 * @returns The URLs, in order.
 */
export function urlsInText(text: string): string[] {
  return text.match(urlInText) ?? [];
}
