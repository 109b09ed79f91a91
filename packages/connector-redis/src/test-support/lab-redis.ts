import { Redis } from 'ioredis';

/** The lab's Redis (docs/lab.md): `AISRE_LAB_REDIS_URL`, default `redis://:aisre-lab@127.0.0.1:6390`. */
export function labRedisUrl(): string {
  return process.env.AISRE_LAB_REDIS_URL || 'redis://:aisre-lab@127.0.0.1:6390';
}

/** The lab's password, from its URL. */
export function labRedisPassword(): string {
  return decodeURIComponent(new URL(labRedisUrl()).password);
}

/**
 * A plain ioredis client for the test's own setup and fault injection (not the code under test).
 */
export function labAdminClient(): Redis {
  return new Redis(labRedisUrl(), { maxRetriesPerRequest: 1, connectionName: 'aisre-test-admin' });
}

/**
 * Reads configuration parameters so that a test can put them back afterwards.
 *
 * @param admin - the setup client
 * @param parameters - the parameters the test changes
 * @returns a function that restores them
 */
export async function saveConfig(admin: Redis, parameters: readonly string[]): Promise<() => Promise<void>> {
  const saved: [string, string][] = [];
  for (const parameter of parameters) {
    const [, value] = (await admin.config('GET', parameter)) as [string, string];
    saved.push([parameter, value]);
  }
  return async () => {
    for (const [parameter, value] of saved) await admin.config('SET', parameter, value);
  };
}
