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

/**
 * Internal: what a pod spec says, minus every value that could be a secret. Lists are shared and
 * never to be changed by readers (an empty one is {@link NONE}).
 */
export interface PodSpecSummary {
  readonly images: readonly string[];
  /** Each container's share; empty for a single container (`images` and `resources` say it all). */
  readonly containers: readonly ContainerSummary[];
  readonly resources: ResourceSummary;
  readonly envNames: readonly string[];
  readonly secretRefs: readonly string[];
  readonly configMapRefs: readonly string[];
  readonly settings: readonly Setting[];
  readonly configMapUses: readonly ConfigMapUse[];
  readonly serviceAccount: string | undefined;
}

/** Internal: the empty list of a summary (frozen, shared). */
export const NONE: readonly never[] = Object.freeze([]);

const gpuResource = /(^|[./])gpu$/i;

function add(resources: ResourceSummary, field: keyof ResourceSummary, value: number | undefined): void {
  if (value !== undefined) resources[field] = (resources[field] ?? 0) + value;
}

/** Adds a container's requests and limits to `resources`. */
function addResources(resources: ResourceSummary, container: ContainerSpec): void {
  const requests = container.resources?.requests;
  const limits = container.resources?.limits;
  for (const name in requests) {
    const quantity = requests[name] as string | number;
    if (name === 'cpu') add(resources, 'cpuRequestMillicores', parseMillicores(quantity));
    else if (name === 'memory') add(resources, 'memoryRequestBytes', parseBytes(quantity));
    else if (gpuResource.test(name)) add(resources, 'gpuRequest', parseQuantity(quantity));
  }
  for (const name in limits) {
    const quantity = limits[name] as string | number;
    if (name === 'cpu') add(resources, 'cpuLimitMillicores', parseMillicores(quantity));
    else if (name === 'memory') add(resources, 'memoryLimitBytes', parseBytes(quantity));
    else if (gpuResource.test(name)) {
      add(resources, 'gpuLimit', parseQuantity(quantity));
      // Kubernetes defaults a GPU request to its limit.
      if (requests?.[name] === undefined) add(resources, 'gpuRequest', parseQuantity(quantity));
    }
  }
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

function pushed<T>(list: T[] | undefined, entry: T): T[] {
  if (list === undefined) return [entry];
  list.push(entry);
  return list;
}

/**
 * Internal: summarises a pod spec: images, resources, which variables exist (names only),
 * which secrets are referenced (names only), which ConfigMaps are used, and the literal
 * settings that may point at dependencies. Lists are only made when they have an entry.
 *
 * @param spec - The pod spec.
 * @param forWorkload - Whether to collect what only workloads keep or need: the settings (for
 *   dependency inference), the variable names and each container's share.
 * @returns The summary.
 */
export function summarisePodSpec(spec: PodSpec, forWorkload = true): PodSpecSummary {
  let images: string[] | undefined;
  let containers: ContainerSummary[] | undefined;
  const resources: ResourceSummary = {};
  let envNames: string[] | undefined;
  let secretRefs: string[] | undefined;
  let configMapRefs: string[] | undefined;
  let settings: Setting[] | undefined;
  let configMapUses: ConfigMapUse[] | undefined;
  const several = forWorkload && spec.containers.length > 1;
  for (let index = 0; index < spec.containers.length; index++) {
    const container = spec.containers[index] as ContainerSpec;
    const image = container.image ?? '';
    if (image !== '') images = pushed(images, image);
    if (several) {
      const own: ResourceSummary = {};
      addResources(own, container);
      addResources(resources, container);
      const declared = Boolean(container.resources?.requests || container.resources?.limits);
      containers = pushed(
        containers,
        declared
          ? { image, name: container.name, resources: sortedKeys(own) }
          : { image, name: container.name },
      );
    } else {
      addResources(resources, container);
    }
    const env = container.env ?? NONE;
    for (let position = 0; position < env.length; position++) {
      const variable = env[position] as NonNullable<ContainerSpec['env']>[number];
      if (forWorkload) envNames = pushed(envNames, variable.name);
      const secret = variable.valueFrom?.secretKeyRef;
      const configMap = variable.valueFrom?.configMapKeyRef;
      if (secret !== undefined) {
        secretRefs = pushed(secretRefs, joined(secret.name ?? '', '/', secret.key));
      } else if (configMap !== undefined && configMap.name !== undefined) {
        configMapRefs = pushed(configMapRefs, configMap.name);
        configMapUses = pushed(configMapUses, {
          name: configMap.name,
          mode: 'key',
          key: configMap.key,
          variable: variable.name,
        });
      } else if (forWorkload && variable.value !== undefined && variable.value !== '') {
        settings = pushed(settings, {
          name: variable.name,
          value: variable.value,
          via: joined('env:', variable.name),
        });
      }
    }
    const envFrom = container.envFrom ?? NONE;
    for (let position = 0; position < envFrom.length; position++) {
      const source = envFrom[position] as NonNullable<ContainerSpec['envFrom']>[number];
      if (source.secretRef !== undefined) secretRefs = pushed(secretRefs, source.secretRef.name);
      if (source.configMapRef !== undefined) {
        configMapRefs = pushed(configMapRefs, source.configMapRef.name);
        configMapUses = pushed<ConfigMapUse>(
          configMapUses,
          source.prefix === undefined
            ? { name: source.configMapRef.name, mode: 'all' }
            : { name: source.configMapRef.name, mode: 'all', prefix: source.prefix },
        );
      }
    }
    if (forWorkload) {
      for (const argument of [...(container.command ?? NONE), ...(container.args ?? NONE)]) {
        if (!argument.includes('://')) continue;
        for (const url of urlsInText(argument))
          settings = pushed(settings, { name: 'ARG', value: url, via: 'args' });
      }
    }
  }
  const volumes = spec.volumes ?? NONE;
  for (let index = 0; index < volumes.length; index++) {
    const volume = volumes[index] as NonNullable<PodSpec['volumes']>[number];
    if (volume.secret?.secretName !== undefined) secretRefs = pushed(secretRefs, volume.secret.secretName);
    if (volume.configMap !== undefined) {
      configMapRefs = pushed(configMapRefs, volume.configMap.name);
      configMapUses = pushed<ConfigMapUse>(configMapUses, { name: volume.configMap.name, mode: 'files' });
    }
  }
  return {
    images: images ?? NONE,
    containers: containers ?? NONE,
    resources: sortedKeys(resources),
    envNames: envNames === undefined ? NONE : sortedUniqueStrings(envNames),
    secretRefs: secretRefs === undefined ? NONE : sortedUniqueStrings(secretRefs),
    configMapRefs: configMapRefs === undefined ? NONE : sortedUniqueStrings(configMapRefs),
    settings: settings ?? NONE,
    configMapUses: configMapUses ?? NONE,
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
  // The value of another setting, by upper-case name (the last one wins); settings are few.
  const settingValue = (upperName: string): string | undefined => {
    for (let index = settings.length - 1; index >= 0; index--) {
      const setting = settings[index] as Setting;
      if (setting.name.toUpperCase() === upperName) return setting.value;
    }
    return undefined;
  };
  const found: FoundDependency[] = [];
  for (const setting of settings) {
    const upper = setting.name.toUpperCase();
    if (serviceHostSuffix.test(upper)) {
      const prefix = upper.replace(serviceHostSuffix, '');
      const name = prefix.toLowerCase().replace(/_/g, '-');
      const portText = settingValue(`${prefix}_SERVICE_PORT`);
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
      const portText = settingValue(upper.replace(hostLikeSuffix, '_PORT'));
      if (portText !== undefined && /^\d+$/.test(portText)) portHint = Number(portText);
    }
    found.push({
      target: resolveConnectionTarget(endpoint, setting.name, context, portHint),
      via: setting.via,
    });
  }
  if (found.length < 2) return found;
  // One finding per entity, the first wins (findings are few: compared pairwise).
  return found.filter(({ target }, index) => {
    for (let earlier = 0; earlier < index; earlier++) {
      const other = (found[earlier] as FoundDependency).target;
      if (other.kind === target.kind && other.namespace === target.namespace && other.name === target.name)
        return false;
    }
    return true;
  });
}
