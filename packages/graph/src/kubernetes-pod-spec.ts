import {
  type ConnectionContext,
  type ConnectionEndpoint,
  type ConnectionTarget,
  isConnectionSetting,
  kindFromSchemeOrPort,
  kindFromSettingName,
  parseConnectionValue,
  resolveConnectionTarget,
  urlsInText,
} from './connection-targets';
import { joined } from './flat-text';
import { parseBytes, parseMillicores, parseQuantity } from './kubernetes-quantities';
import type { ContainerSpec, PodSpec } from './kubernetes-schemas';
import type { ContainerSummary, NodeKind, ResourceSummary } from './node-kinds';
import { sortedUniqueStrings } from './small-sort';

/** Internal: a configuration setting that may point at a dependency. */
export interface Setting {
  /** Variable or key name. */
  readonly name: string;
  /** Literal value (read for inference only, never stored). */
  readonly value: string;
  /** Where it was found, for the citation: `env:REDIS_URL`, `configmap:cart-config/DATABASE_URL`. */
  readonly via: string;
}

/** Internal: a ConfigMap a pod spec uses. */
export interface ConfigMapUse {
  readonly name: string;
  /** `key`: one key into a named variable; `all`: every key (envFrom); `files`: mounted as files. */
  readonly mode: 'key' | 'all' | 'files';
  readonly key?: string;
  readonly variable?: string;
  readonly prefix?: string;
}

/** Internal: what a pod spec says, minus every value that could be a secret. */
export interface PodSpecSummary {
  readonly images: string[];
  readonly containers: ContainerSummary[];
  readonly resources: ResourceSummary;
  readonly envNames: string[];
  readonly secretRefs: string[];
  readonly configMapRefs: string[];
  readonly settings: Setting[];
  readonly configMapUses: ConfigMapUse[];
  readonly serviceAccount: string | undefined;
}

const gpuResource = /(^|[./])gpu$/i;

function sum(
  own: ResourceSummary,
  total: ResourceSummary,
  field: keyof ResourceSummary,
  value: number | undefined,
) {
  if (value === undefined) return;
  own[field] = (own[field] ?? 0) + value;
  total[field] = (total[field] ?? 0) + value;
}

function addResources(total: ResourceSummary, container: ContainerSpec): ResourceSummary | undefined {
  const requests = container.resources?.requests;
  const limits = container.resources?.limits;
  if (!requests && !limits) return undefined;
  const own: ResourceSummary = {};
  for (const [name, quantity] of Object.entries(requests ?? {})) {
    if (name === 'cpu') sum(own, total, 'cpuRequestMillicores', parseMillicores(quantity));
    else if (name === 'memory') sum(own, total, 'memoryRequestBytes', parseBytes(quantity));
    else if (gpuResource.test(name)) sum(own, total, 'gpuRequest', parseQuantity(quantity));
  }
  for (const [name, quantity] of Object.entries(limits ?? {})) {
    if (name === 'cpu') sum(own, total, 'cpuLimitMillicores', parseMillicores(quantity));
    else if (name === 'memory') sum(own, total, 'memoryLimitBytes', parseBytes(quantity));
    else if (gpuResource.test(name)) {
      sum(own, total, 'gpuLimit', parseQuantity(quantity));
      // Kubernetes defaults a GPU request to its limit.
      if (requests?.[name] === undefined) sum(own, total, 'gpuRequest', parseQuantity(quantity));
    }
  }
  return own;
}

/** The fields of a {@link ResourceSummary}, sorted. */
const resourceFields: readonly (keyof ResourceSummary)[] = [
  'cpuLimitMillicores',
  'cpuRequestMillicores',
  'gpuLimit',
  'gpuRequest',
  'memoryLimitBytes',
  'memoryRequestBytes',
];

/** Resource figures with keys in sorted order, as snapshots write them (no copy needed then). */
function sortedKeys(resources: ResourceSummary): ResourceSummary {
  const sorted: ResourceSummary = {};
  for (const field of resourceFields) {
    const value = resources[field];
    if (value !== undefined) sorted[field] = value;
  }
  return sorted;
}

/**
 * Internal: summarises a pod spec: images, resources, which variables exist (names only),
 * which secrets are referenced (names only), which ConfigMaps are used, and the literal
 * settings that may point at dependencies.
 *
 * @param spec - The pod spec.
 * @returns The summary.
 */
export function summarisePodSpec(spec: PodSpec): PodSpecSummary {
  const images: string[] = [];
  const containers: ContainerSummary[] = [];
  const resources: ResourceSummary = {};
  const envNames: string[] = [];
  const secretRefs: string[] = [];
  const configMapRefs: string[] = [];
  const settings: Setting[] = [];
  const configMapUses: ConfigMapUse[] = [];
  for (const container of spec.containers) {
    const image = container.image ?? '';
    if (image !== '') images.push(image);
    const own = addResources(resources, container);
    containers.push(
      own === undefined
        ? { image, name: container.name }
        : { image, name: container.name, resources: sortedKeys(own) },
    );
    for (const variable of container.env ?? []) {
      envNames.push(variable.name);
      const secret = variable.valueFrom?.secretKeyRef;
      const configMap = variable.valueFrom?.configMapKeyRef;
      if (secret !== undefined) {
        secretRefs.push(joined(secret.name ?? '', '/', secret.key));
      } else if (configMap !== undefined && configMap.name !== undefined) {
        configMapRefs.push(configMap.name);
        configMapUses.push({
          name: configMap.name,
          mode: 'key',
          key: configMap.key,
          variable: variable.name,
        });
      } else if (variable.value !== undefined && variable.value !== '') {
        settings.push({ name: variable.name, value: variable.value, via: joined('env:', variable.name) });
      }
    }
    for (const source of container.envFrom ?? []) {
      if (source.secretRef !== undefined) secretRefs.push(source.secretRef.name);
      if (source.configMapRef !== undefined) {
        configMapRefs.push(source.configMapRef.name);
        configMapUses.push(
          source.prefix === undefined
            ? { name: source.configMapRef.name, mode: 'all' }
            : { name: source.configMapRef.name, mode: 'all', prefix: source.prefix },
        );
      }
    }
    for (const argument of [...(container.command ?? []), ...(container.args ?? [])]) {
      if (!argument.includes('://')) continue;
      for (const url of urlsInText(argument)) settings.push({ name: 'ARG', value: url, via: 'args' });
    }
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.secret?.secretName !== undefined) secretRefs.push(volume.secret.secretName);
    if (volume.configMap !== undefined) {
      configMapRefs.push(volume.configMap.name);
      configMapUses.push({ name: volume.configMap.name, mode: 'files' });
    }
  }
  return {
    images,
    containers,
    resources: sortedKeys(resources),
    envNames: sortedUniqueStrings(envNames),
    secretRefs: sortedUniqueStrings(secretRefs),
    configMapRefs: sortedUniqueStrings(configMapRefs),
    settings,
    configMapUses,
    serviceAccount: spec.serviceAccountName,
  };
}

/**
 * Internal: the settings a ConfigMap use contributes, from the ConfigMap's data.
 *
 * @param use - How the pod uses the ConfigMap.
 * @param data - The ConfigMap's data.
 * @returns Settings.
 */
export function settingsFromConfigMap(use: ConfigMapUse, data: Readonly<Record<string, string>>): Setting[] {
  const settings: Setting[] = [];
  if (use.mode === 'key') {
    const value = use.key === undefined ? undefined : data[use.key];
    if (value !== undefined) {
      settings.push({
        name: use.variable ?? use.key ?? '',
        value,
        via: joined('configmap:', use.name, '/', use.key ?? ''),
      });
    }
    return settings;
  }
  for (const [key, value] of Object.entries(data)) {
    if (use.mode === 'all') {
      settings.push({
        name: `${use.prefix ?? ''}${key}`,
        value,
        via: joined('configmap:', use.name, '/', key),
      });
    } else {
      for (const url of urlsInText(value))
        settings.push({ name: key, value: url, via: joined('configmap:', use.name, '/', key) });
      if (!value.includes('\n'))
        settings.push({ name: key, value, via: joined('configmap:', use.name, '/', key) });
    }
  }
  return settings;
}

/** Internal: what {@link dependenciesFromSettings} needs; `parsed` caches values parsed in a batch. */
export interface SettingsContext extends ConnectionContext {
  readonly parsed?: Map<string, ConnectionEndpoint | null>;
}

/** Internal: one dependency found in settings. */
export interface FoundDependency {
  readonly target: ConnectionTarget;
  readonly via: string;
}

const serviceHostSuffix = /_SERVICE_HOST$/;
const hostLikeSuffix = /_(HOST|HOSTNAME|ADDR|ADDRESS|SERVER|URL|URI|ENDPOINT)$/;

/**
 * Internal: the dependency targets of a set of settings. `X_SERVICE_HOST` names the Service `x`
 * whatever its value; a sibling `X_PORT` hints the kind of `X_HOST`.
 *
 * @param settings - The settings.
 * @param context - Namespace and cluster knowledge.
 * @returns Targets, one per entity, first finding wins.
 */
export function dependenciesFromSettings(
  settings: readonly Setting[],
  context: SettingsContext,
): FoundDependency[] {
  if (settings.length === 0) return [];
  const values = new Map<string, string>();
  for (const setting of settings) values.set(setting.name.toUpperCase(), setting.value);
  const found: FoundDependency[] = [];
  for (const setting of settings) {
    const upper = setting.name.toUpperCase();
    if (serviceHostSuffix.test(upper)) {
      const prefix = upper.replace(serviceHostSuffix, '');
      const name = prefix.toLowerCase().replace(/_/g, '-');
      const portText = values.get(`${prefix}_SERVICE_PORT`);
      const port = portText === undefined ? undefined : Number(portText);
      const explicit = kindFromSchemeOrPort(undefined, port) ?? kindFromSettingName(prefix);
      const kind = explicit ?? context.knownKind?.(context.namespace, name) ?? ('service' as NodeKind);
      found.push({
        target: {
          kind,
          namespace: context.namespace,
          name,
          scheme: undefined,
          host: name,
          port,
          endpoint: name,
          inCluster: true,
          explicitKind: explicit !== undefined,
        },
        via: setting.via,
      });
      continue;
    }
    if (!isConnectionSetting(setting.name, setting.value)) continue;
    // Clusters repeat configuration values (a shared flags URL, a database host): parse each once per batch.
    let endpoint = context.parsed?.get(setting.value);
    if (endpoint === undefined) {
      endpoint = parseConnectionValue(setting.value) ?? null;
      context.parsed?.set(setting.value, endpoint);
    }
    if (endpoint === null) continue;
    let portHint: number | undefined;
    if (endpoint.port === undefined && hostLikeSuffix.test(upper)) {
      const portText = values.get(upper.replace(hostLikeSuffix, '_PORT'));
      if (portText !== undefined && /^\d+$/.test(portText)) portHint = Number(portText);
    }
    found.push({
      target: resolveConnectionTarget(endpoint, setting.name, context, portHint),
      via: setting.via,
    });
  }
  if (found.length < 2) return found;
  // One finding per entity, the first wins.
  const seen = new Set<string>();
  return found.filter(({ target }) => {
    const key = `${target.kind}:${target.namespace}/${target.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
