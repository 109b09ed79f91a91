import { InvalidInputError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from './connection-options';

const url = 'postgresql://monitor:s3cret@db.internal:6543/orders';

function invalidMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(InvalidInputError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidInputError');
}

describe('resolveConnection', () => {
  it('takes the connection string from the options first', () => {
    const resolved = resolveConnection(
      { connectionString: url },
      { DATABASE_URL: 'postgresql://other/x', PGHOST: 'h' },
    );
    expect(resolved.source).toBe('options');
    expect(resolved.clientConfig.connectionString).toBe(url);
    expect(resolved.target).toEqual({ host: 'db.internal', port: 6543, user: 'monitor', database: 'orders' });
    expect(resolved.entity).toBe('postgres:db.internal/orders');
  });

  it('then DATABASE_URL, then the PG* variables', () => {
    expect(resolveConnection({}, { DATABASE_URL: url, PGHOST: 'ignored' }).source).toBe('DATABASE_URL');
    const resolved = resolveConnection(
      {},
      {
        PGHOST: '10.0.0.5',
        PGPORT: '5433',
        PGUSER: 'watcher',
        PGPASSWORD: 'pw',
        PGDATABASE: 'shop',
        PGAPPNAME: 'sre',
      },
    );
    expect(resolved.source).toBe('PG* variables');
    expect(resolved.clientConfig).toMatchObject({
      host: '10.0.0.5',
      port: 5433,
      user: 'watcher',
      password: 'pw',
      database: 'shop',
      application_name: 'sre',
    });
  });

  it('lets individual options override the PG* variables and defaults the rest like libpq', () => {
    const resolved = resolveConnection(
      { host: 'primary', database: 'ledger' },
      { PGUSER: 'ops', PGPORT: '5999' },
    );
    expect(resolved.target).toEqual({ host: 'primary', port: 5999, user: 'ops', database: 'ledger' });
    expect(resolved.source).toBe('options');
    expect(resolveConnection({}, {}).target).toEqual({
      host: 'localhost',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
    });
  });

  it('sets the timeouts, the application name and keep-alive', () => {
    const defaults = resolveConnection({}, {});
    expect(defaults.statementTimeoutMs).toBe(5000);
    expect(defaults.clientConfig).toMatchObject({
      connectionTimeoutMillis: 5000,
      application_name: 'aisre-connector-postgres',
      keepAlive: true,
    });
    const set = resolveConnection(
      { statementTimeoutMs: 750, connectTimeoutMs: 900 },
      { PGCONNECT_TIMEOUT: '3' },
    );
    expect(set.statementTimeoutMs).toBe(750);
    expect(set.clientConfig).toMatchObject({ connectionTimeoutMillis: 900 });
    expect(resolveConnection({}, { PGCONNECT_TIMEOUT: '3' }).clientConfig.connectionTimeoutMillis).toBe(3000);
  });

  it('maps PGSSLMODE to pg ssl settings', () => {
    expect(resolveConnection({}, { PGSSLMODE: 'disable' }).clientConfig.ssl).toBe(false);
    expect(resolveConnection({}, { PGSSLMODE: 'require' }).clientConfig.ssl).toEqual({
      rejectUnauthorized: false,
    });
    expect(resolveConnection({}, { PGSSLMODE: 'verify-full' }).clientConfig.ssl).toBe(true);
  });

  it('takes the entity from the options, then AISRE_POSTGRES_ENTITY', () => {
    expect(resolveConnection({ entity: 'postgres:lab/db' }, {}).entity).toBe('postgres:lab/db');
    expect(resolveConnection({}, { AISRE_POSTGRES_ENTITY: 'postgres:shop/payments-db' }).entity).toBe(
      'postgres:shop/payments-db',
    );
    expect(resolveConnection({ host: '/var/run/postgresql' }, {}).entity).toBe('postgres:local/postgres');
  });

  it('rejects contradicting or malformed settings with a clear InvalidInputError', () => {
    expect(invalidMessage(() => resolveConnection({ connectionString: url, host: 'x' }, {}))).toMatch(
      /^connector-postgres: give either connectionString or host, not both/,
    );
    expect(invalidMessage(() => resolveConnection({ connectionString: 'mysql://x/y' }, {}))).toMatch(
      /must start with postgresql:\/\//,
    );
    expect(invalidMessage(() => resolveConnection({}, { DATABASE_URL: 'not a url' }))).toMatch(
      /DATABASE_URL must be/,
    );
    expect(invalidMessage(() => resolveConnection({}, { PGPORT: 'eighty' }))).toMatch(
      /PGPORT must be a port number/,
    );
    expect(invalidMessage(() => resolveConnection({}, { PGSSLMODE: 'sometimes' }))).toMatch(
      /PGSSLMODE "sometimes"/,
    );
    expect(invalidMessage(() => resolveConnection({}, { PGCONNECT_TIMEOUT: '-1' }))).toMatch(
      /PGCONNECT_TIMEOUT/,
    );
    expect(invalidMessage(() => resolveConnection({}, { AISRE_POSTGRES_ENTITY: 'db' }))).toMatch(
      /AISRE_POSTGRES_ENTITY/,
    );
    expect(
      invalidMessage(() =>
        resolveConnection({ statmentTimeoutMs: 5 } as unknown as Record<string, never>, {}),
      ),
    ).toMatch(/options is invalid/);
    expect(invalidMessage(() => resolveConnection({ port: 70_000 }, {}))).toMatch(/port/);
  });

  it('never puts the password in the target it describes', () => {
    const resolved = resolveConnection({ connectionString: url }, {});
    expect(JSON.stringify(resolved.target)).not.toContain('s3cret');
  });
});
