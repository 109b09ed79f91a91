import type { EntityRef, InputIssue } from '@aisre/core';
import type { Scenario, ScenarioService, ServiceKind } from '../types';
import { parseCronSchedule } from './cron-schedule';
import { parseDuration, parseIsoTime, resolveTimeReference } from './duration';
import { faultTypeDescriptor } from './fault-catalogue';
import { noiseTypeDescriptor } from './noise-catalogue';
import { checkParameters } from './scenario-parameters';

/** The most points a scenario may have per series. */
export const maximumSteps = 50_000;

/** The entity ref of a topology entry: `<kind>:<namespace>/<name>`. */
export function entityRefOf(namespace: string, service: Pick<ScenarioService, 'kind' | 'name'>): EntityRef {
  return `${service.kind}:${namespace}/${service.name}`;
}

const kindOnlyFields: readonly [keyof ScenarioService, ServiceKind[]][] = [
  ['schedule', ['cronjob']],
  ['maxMemoryMb', ['redis']],
  ['maxConnections', ['postgres']],
  ['rps', ['service']],
  ['consumes', ['service']],
  ['dependsOn', ['service', 'cronjob']],
];

function findCycle(services: readonly ScenarioService[]): string[] | undefined {
  // Edges: caller → callee (dependsOn) and queue → consumer (consumes): rates flow along both.
  const next = new Map<string, string[]>();
  for (const service of services) {
    next.set(service.name, [...(next.get(service.name) ?? []), ...(service.dependsOn ?? [])]);
    for (const queue of service.consumes ?? []) next.set(queue, [...(next.get(queue) ?? []), service.name]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const target of next.get(name) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const service of services) {
    const cycle = visit(service.name);
    if (cycle) return cycle;
  }
  return undefined;
}

function checkTopology(scenario: Scenario, issues: InputIssue[]): void {
  const byName = new Map<string, ScenarioService>();
  for (const [index, service] of scenario.topology.services.entries()) {
    const path = ['topology', 'services', index];
    if (byName.has(service.name))
      issues.push({ path: [...path, 'name'], message: `duplicate name "${service.name}"` });
    byName.set(service.name, service);
    for (const [field, kinds] of kindOnlyFields) {
      if (service[field] !== undefined && !kinds.includes(service.kind)) {
        issues.push({
          path: [...path, field],
          message: `only allowed for kind ${kinds.join(' or ')}, not ${service.kind}`,
        });
      }
    }
    if (service.kind === 'cronjob' && service.schedule === undefined) {
      issues.push({ path: [...path, 'schedule'], message: 'a cronjob needs a schedule like "30 2 * * *"' });
    }
    if (service.schedule !== undefined) {
      const parsed = parseCronSchedule(service.schedule);
      if (typeof parsed === 'string')
        issues.push({ path: [...path, 'schedule'], message: `bad cron schedule: ${parsed}` });
    }
  }
  for (const [index, service] of scenario.topology.services.entries()) {
    const path = ['topology', 'services', index];
    for (const [position, name] of (service.dependsOn ?? []).entries()) {
      const target = byName.get(name);
      if (!target)
        issues.push({ path: [...path, 'dependsOn', position], message: `unknown entry "${name}"` });
      else if (name === service.name)
        issues.push({ path: [...path, 'dependsOn', position], message: 'an entry cannot depend on itself' });
      else if (target.kind === 'cronjob') {
        issues.push({
          path: [...path, 'dependsOn', position],
          message: `"${name}" is a cronjob: nothing calls a cronjob`,
        });
      }
    }
    for (const [position, name] of (service.consumes ?? []).entries()) {
      const target = byName.get(name);
      if (!target) issues.push({ path: [...path, 'consumes', position], message: `unknown entry "${name}"` });
      else if (target.kind !== 'queue') {
        issues.push({
          path: [...path, 'consumes', position],
          message: `"${name}" is a ${target.kind}, not a queue`,
        });
      }
    }
  }
  if (issues.length === 0) {
    const cycle = findCycle(scenario.topology.services);
    if (cycle) {
      issues.push({
        path: ['topology', 'services'],
        message: `dependsOn and consumes form a cycle: ${cycle.join(' -> ')}`,
      });
    }
  }
}

function checkWindow(
  scenario: Scenario,
  issues: InputIssue[],
): { startMs: number; endMs: number } | undefined {
  const startMs = parseIsoTime(scenario.start);
  const durationMs = parseDuration(scenario.duration) ?? 0;
  const stepMs = parseDuration(scenario.step) ?? 0;
  if (startMs === undefined) {
    issues.push({ path: ['start'], message: 'expected an ISO time with a timezone' });
    return undefined;
  }
  if (stepMs < 1000) issues.push({ path: ['step'], message: 'the step must be at least 1s' });
  if (stepMs > durationMs)
    issues.push({ path: ['step'], message: 'the step must not be longer than the duration' });
  if (stepMs > 0 && durationMs / stepMs > maximumSteps) {
    issues.push({
      path: ['duration'],
      message: `at most ${maximumSteps} steps: use a longer step or a shorter duration`,
    });
  }
  return { startMs, endMs: startMs + durationMs };
}

function checkTime(
  reference: string,
  path: (string | number)[],
  window: { startMs: number; endMs: number },
  earliestMs: number,
  issues: InputIssue[],
): number | undefined {
  const at = resolveTimeReference(reference, window.startMs);
  if (at === undefined) return undefined;
  if (at > window.endMs)
    issues.push({ path, message: 'must not be after the end of the scenario (start + duration)' });
  else if (at < earliestMs) issues.push({ path, message: 'is too long before the start of the scenario' });
  return at;
}

function checkEvents(
  scenario: Scenario,
  byName: Map<string, ScenarioService>,
  window: { startMs: number; endMs: number },
  issues: InputIssue[],
): void {
  const week = 7 * 86_400_000;
  for (const [index, fault] of scenario.faults.entries()) {
    const path = ['faults', index];
    const descriptor = faultTypeDescriptor(fault.type);
    const target = byName.get(fault.target);
    if (!target) issues.push({ path: [...path, 'target'], message: `unknown entry "${fault.target}"` });
    else if (descriptor && !descriptor.targetKinds.includes(target.kind)) {
      issues.push({
        path: [...path, 'type'],
        message: `${fault.type} does not fit "${fault.target}" (a ${target.kind}); it strikes ${descriptor.targetKinds.join(', ')}`,
      });
    }
    for (const problem of checkParameters(descriptor?.params ?? [], fault.params)) {
      issues.push({ path: [...path, 'params', problem.key], message: problem.message });
    }
    const start = checkTime(fault.start, [...path, 'start'], window, window.startMs - week, issues);
    if (fault.end !== undefined) {
      const end = checkTime(fault.end, [...path, 'end'], window, window.startMs - week, issues);
      if (start !== undefined && end !== undefined && end <= start) {
        issues.push({ path: [...path, 'end'], message: 'must be after start' });
      }
    }
  }
  for (const [index, noise] of scenario.noise.entries()) {
    const path = ['noise', index];
    const descriptor = noiseTypeDescriptor(noise.type);
    const target = byName.get(noise.target);
    if (!target) issues.push({ path: [...path, 'target'], message: `unknown entry "${noise.target}"` });
    else if (descriptor && !descriptor.targetKinds.includes(target.kind)) {
      issues.push({
        path: [...path, 'type'],
        message: `${noise.type} does not fit "${noise.target}" (a ${target.kind}); it concerns ${descriptor.targetKinds.join(', ')}`,
      });
    }
    for (const problem of checkParameters(descriptor?.params ?? [], noise.params)) {
      issues.push({ path: [...path, 'params', problem.key], message: problem.message });
    }
    checkTime(noise.at, [...path, 'at'], window, window.startMs - 86_400_000, issues);
  }
}

function checkEntityRef(
  scenario: Scenario,
  ref: EntityRef,
  path: (string | number)[],
  issues: InputIssue[],
): void {
  const known = scenario.topology.services.some(
    (service) => entityRefOf(scenario.topology.namespace, service) === ref,
  );
  if (!known) {
    issues.push({
      path,
      message: `"${ref}" is not in the topology (refs are <kind>:${scenario.topology.namespace}/<name>)`,
    });
  }
}

/**
 * Checks what the shape alone cannot: references, kinds, parameters, schedules, times and cycles.
 *
 * @returns every problem found, each with the path of its field
 */
export function checkScenarioReferences(scenario: Scenario): InputIssue[] {
  const issues: InputIssue[] = [];
  checkTopology(scenario, issues);
  const byName = new Map(scenario.topology.services.map((service) => [service.name, service]));
  const window = checkWindow(scenario, issues);
  if (window) {
    checkEvents(scenario, byName, window, issues);
    const triggerAt = resolveTimeReference(scenario.trigger.at, window.startMs);
    if (triggerAt !== undefined && (triggerAt < window.startMs || triggerAt > window.endMs)) {
      issues.push({
        path: ['trigger', 'at'],
        message: 'must be within the scenario (start to start + duration)',
      });
    }
  }
  checkEntityRef(scenario, scenario.trigger.entity, ['trigger', 'entity'], issues);
  const rootCause = scenario.expect?.rootCause;
  if (rootCause) {
    checkEntityRef(scenario, rootCause.entity, ['expect', 'rootCause', 'entity'], issues);
    const matches = scenario.faults.some(
      (fault) =>
        fault.type === rootCause.fault &&
        byName.has(fault.target) &&
        entityRefOf(scenario.topology.namespace, {
          kind: byName.get(fault.target)?.kind ?? 'service',
          name: fault.target,
        }) === rootCause.entity,
    );
    if (!matches) {
      issues.push({
        path: ['expect', 'rootCause'],
        message: `no fault of type ${rootCause.fault} strikes ${rootCause.entity} in faults`,
      });
    }
  }
  return issues;
}
