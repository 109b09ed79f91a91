// Integration-test helpers: where the lab's servers are (docs/lab.md, exported by scripts/lab/with-lab.sh),
// its faults, and waiting on real servers with a deadline.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const labScript = fileURLToPath(new URL('../../../scripts/lab/lab.sh', import.meta.url));

function variable(name: string, fallback: string): string {
  const value = process.env[name];
  return value && value.trim() !== '' ? value : fallback;
}

/** The lab's endpoints, from the `AISRE_LAB_*` variables or the lab's defaults. */
export const lab = {
  prometheusUrl: variable('AISRE_LAB_PROMETHEUS_URL', 'http://127.0.0.1:9091'),
  prometheusAuthUrl: variable('AISRE_LAB_PROMETHEUS_AUTH_URL', 'http://127.0.0.1:9092'),
  prometheusAuthUser: variable('AISRE_LAB_PROMETHEUS_AUTH_USER', 'aisre'),
  prometheusAuthPassword: variable('AISRE_LAB_PROMETHEUS_AUTH_PASSWORD', 'aisre-lab'),
  alertmanagerUrl: variable('AISRE_LAB_ALERTMANAGER_URL', 'http://127.0.0.1:9094'),
  webhookUrl: new URL(variable('AISRE_LAB_WEBHOOK_URL', 'http://127.0.0.1:9095/alertmanager')),
  redisEntity: variable('AISRE_LAB_REDIS_ENTITY', 'redis:lab/cache') as `${string}:${string}/${string}`,
  postgresEntity: variable('AISRE_LAB_POSTGRES_ENTITY', 'postgres:lab/db') as `${string}:${string}/${string}`,
};

/** Runs `lab.sh fault NAME …` or `lab.sh heal NAME`; resolves with what it printed. */
export async function labCommand(...args: string[]): Promise<string> {
  const { stderr } = await run('bash', [labScript, ...args], { env: process.env, timeout: 60_000 });
  return stderr.trim();
}

/**
 * Polls `read` every `everyMs` until it returns a value other than undefined, or rejects after `timeoutMs`
 * with `what` in the message (real servers take real time: this is the only waiting the lab tests do).
 */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
