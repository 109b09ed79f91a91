// The lab scripts' settings and usage, without starting any server (docs/lab.md).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const lab = fileURLToPath(new URL('./lab.sh', import.meta.url));
const withLab = fileURLToPath(new URL('./with-lab.sh', import.meta.url));

/** Runs a script with only the given AISRE_LAB_* variables set. */
function bash(script: string, args: string[], variables: Record<string, string> = {}) {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !name.startsWith('AISRE_LAB_')) environment[name] = value;
  const result = spawnSync('bash', [script, ...args], {
    env: { ...environment, ...variables },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function environmentOf(variables: Record<string, string> = {}): Record<string, string> {
  const { stdout, status } = bash(lab, ['env'], variables);
  expect(status).toBe(0);
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => {
        const match = /^export ([A-Z_]+)=(.*)$/.exec(line);
        return [match?.[1] ?? line, match?.[2] ?? ''];
      }),
  );
}

describe('lab.sh env', () => {
  it('prints the documented defaults', () => {
    const environment = environmentOf({ AISRE_LAB_DIR: '/tmp/aisre-lab-defaults' });
    expect(environment).toMatchObject({
      AISRE_LAB_DIR: '/tmp/aisre-lab-defaults',
      AISRE_LAB_REDIS_URL: 'redis://:aisre-lab@127.0.0.1:6390',
      AISRE_LAB_POSTGRES_URL: 'postgresql://postgres:aisre-lab@127.0.0.1:5440/postgres',
      AISRE_LAB_REDIS_EXPORTER_URL: 'http://127.0.0.1:9121',
      AISRE_LAB_POSTGRES_EXPORTER_URL: 'http://127.0.0.1:9187',
      AISRE_LAB_PROMETHEUS_URL: 'http://127.0.0.1:9091',
      AISRE_LAB_PROMETHEUS_AUTH_URL: 'http://127.0.0.1:9092',
      AISRE_LAB_PROMETHEUS_AUTH_USER: 'aisre',
      AISRE_LAB_PROMETHEUS_AUTH_PASSWORD: 'aisre-lab',
      AISRE_LAB_ALERTMANAGER_URL: 'http://127.0.0.1:9094',
      AISRE_LAB_WEBHOOK_URL: 'http://127.0.0.1:9095/alertmanager',
      AISRE_LAB_REDIS_ENTITY: 'redis:lab/cache',
      AISRE_LAB_POSTGRES_ENTITY: 'postgres:lab/db',
    });
  });

  it('moves ports one by one or all at once, the URLs following', () => {
    const moved = environmentOf({ AISRE_LAB_PORT_OFFSET: '100', AISRE_LAB_REDIS_PORT: '7000' });
    expect(moved.AISRE_LAB_REDIS_URL).toBe('redis://:aisre-lab@127.0.0.1:7000');
    expect(moved.AISRE_LAB_PROMETHEUS_URL).toBe('http://127.0.0.1:9191');
    expect(moved.AISRE_LAB_WEBHOOK_URL).toBe('http://127.0.0.1:9195/alertmanager');
    expect(bash(lab, ['env'], { AISRE_LAB_PORT_OFFSET: 'ten' }).stderr).toMatch(/must be a whole number/);
  });

  it('makes a relative state folder absolute', () => {
    expect(environmentOf({ AISRE_LAB_DIR: 'relative-lab' }).AISRE_LAB_DIR).toBe(
      `${process.cwd()}/relative-lab`,
    );
  });
});

describe('usage', () => {
  it('refuses unknown commands, faults and an empty with-lab.sh', () => {
    expect(bash(lab, ['launch']).status).toBe(2);
    const fault = bash(lab, ['fault', 'disk-full'], { AISRE_LAB_DIR: '/tmp/aisre-lab-usage' });
    expect([fault.status, fault.stderr.trim()]).toEqual([
      1,
      "lab: fault: unknown fault 'disk-full': redis-memory or postgres-connections [COUNT] [STATE]",
    ]);
    expect(bash(withLab, []).status).toBe(2);
  });
});
