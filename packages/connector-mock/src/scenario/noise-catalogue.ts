import type { NoiseTypeDescriptor } from '../types';

/**
 * The noise catalogue: unrelated things that happen in a real system and show in its telemetry. Every
 * parameter has a default, so `params` may be omitted.
 */
export const noiseTypes: readonly NoiseTypeDescriptor[] = [
  {
    type: 'deploy',
    summary: 'An unrelated, healthy deploy.',
    targetKinds: ['service', 'cronjob'],
    telemetry:
      'A `deploy` change event and signal with the new version (the Deployment image tag changes), and the short CPU and latency bump of a rolling update. Indistinguishable in form from a bad release.',
    params: [
      {
        name: 'version',
        description: 'The version deployed; `auto` bumps the current one',
        kind: 'text',
        default: 'auto',
      },
    ],
  },
  {
    type: 'config-change',
    summary: 'An unrelated, harmless configuration change.',
    targetKinds: ['service', 'redis', 'postgres', 'queue', 'cronjob'],
    telemetry: 'A `config` change event and signal naming the changed key. Nothing else moves.',
    params: [
      { name: 'key', description: 'The configuration key changed', kind: 'text', default: 'LOG_LEVEL' },
    ],
  },
  {
    type: 'flapping-alert',
    summary: 'An alert that fires and resolves again and again.',
    targetKinds: ['service', 'redis', 'postgres', 'queue', 'cronjob', 'external'],
    telemetry:
      '`count` firing alerts, each followed by a resolved one after `firingMinutes`, every `periodMinutes`.',
    params: [
      { name: 'alert', description: 'The alert name', kind: 'text', default: 'CPUThrottlingHigh' },
      {
        name: 'severity',
        description: 'The alert severity',
        kind: 'choice',
        default: 'P4',
        choices: ['P1', 'P2', 'P3', 'P4', 'P5'],
      },
      {
        name: 'periodMinutes',
        description: 'Minutes between firings',
        kind: 'number',
        default: 15,
        minimum: 1,
        maximum: 1440,
        unit: 'minutes',
      },
      {
        name: 'firingMinutes',
        description: 'Minutes each firing lasts',
        kind: 'number',
        default: 4,
        minimum: 1,
        maximum: 1440,
        unit: 'minutes',
      },
      {
        name: 'count',
        description: 'Number of firings',
        kind: 'number',
        default: 6,
        minimum: 1,
        maximum: 500,
      },
    ],
  },
  {
    type: 'anomaly',
    summary: 'A short, self-limited blip on one signal of a bystander.',
    targetKinds: ['service', 'redis', 'postgres'],
    telemetry:
      'A bell-shaped bump over `durationMinutes`: `latency` multiplies server (or command / query) latency by up to `magnitude`; `errors` adds up to 1 % × `magnitude` of failing requests; `cpu` multiplies CPU use by up to `magnitude` (capped at the limit); `memory` adds up to 10 % × `magnitude` to the working set. It spreads like any real change of that signal, then it is gone.',
    params: [
      {
        name: 'signal',
        description: 'Which signal blips',
        kind: 'choice',
        default: 'latency',
        choices: ['latency', 'errors', 'cpu', 'memory'],
      },
      {
        name: 'durationMinutes',
        description: 'How long the blip lasts',
        kind: 'number',
        default: 6,
        minimum: 1,
        maximum: 240,
        unit: 'minutes',
      },
      {
        name: 'magnitude',
        description: 'How strong it is at its peak (see the telemetry column)',
        kind: 'number',
        default: 2.5,
        minimum: 1,
        maximum: 50,
      },
    ],
  },
  {
    type: 'chat',
    summary: 'A chat message about the target.',
    targetKinds: ['service', 'redis', 'postgres', 'queue', 'cronjob', 'external'],
    telemetry: 'A `chat` signal (source `slack`) with the text, channel and author.',
    params: [
      {
        name: 'text',
        description: 'The message',
        kind: 'text',
        default: 'is anyone else seeing slow responses?',
      },
      { name: 'channel', description: 'The channel', kind: 'text', default: '#ops' },
      { name: 'author', description: 'Who wrote it', kind: 'text', default: 'on-call' },
    ],
  },
];

/** The descriptor of a noise type; `undefined` for an unknown type. */
export function noiseTypeDescriptor(type: string): NoiseTypeDescriptor | undefined {
  return noiseTypes.find((descriptor) => descriptor.type === type);
}
