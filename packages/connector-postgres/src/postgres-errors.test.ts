import { ConnectorError } from '@aisre/core';
import { describe, expect, it } from 'vitest';
import { connectFailure, isConnectionLoss, statementFailure } from './postgres-errors';

const target = { host: '127.0.0.1', port: 5440, database: 'postgres', user: 'postgres' };
const serverError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('connectFailure', () => {
  it('says a saturated server (53300) is saturated, is retryable, and gives the monitoring advice', () => {
    const error = connectFailure('postgres', serverError('53300', 'sorry, too many clients already'), target);
    expect(ConnectorError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(
      /^connector-postgres: cannot open a connection to postgres@127\.0\.0\.1:5440\/postgres/,
    );
    expect(error.message).toContain('53300 sorry, too many clients already');
    expect(error.message).toContain('saturated');
    expect(error.message).toContain('superuser_reserved_connections');
    expect(error.connector).toBe('postgres');
  });

  it('says wrong credentials (28P01) will not get better by trying again', () => {
    const error = connectFailure(
      'postgres',
      serverError('28P01', 'password authentication failed for user "postgres"'),
      target,
    );
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('password authentication failed (28P01)');
    expect(error.message).toContain('trying again will not help');
  });

  it.each([
    [
      'ECONNREFUSED',
      'connect ECONNREFUSED 127.0.0.1:5440',
      true,
      /nothing accepts connections at 127\.0\.0\.1:5440/,
    ],
    ['3D000', 'database "nope" does not exist', false, /database does not exist/],
    ['28000', 'no pg_hba.conf entry for host', false, /pg_hba\.conf/],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND db', false, /does not resolve/],
    ['57P03', 'the database system is starting up', true, /starting up/],
  ])('maps %s', (code, message, retryable, expected) => {
    const error = connectFailure('postgres', serverError(code, message), target);
    expect(error.isRetryable).toBe(retryable);
    expect(error.message).toMatch(expected);
  });

  it('maps a connect timeout and a silently closed connection to retryable errors', () => {
    expect(connectFailure('postgres', new Error('timeout expired'), target)).toMatchObject({
      isRetryable: true,
    });
    expect(connectFailure('postgres', new Error('Connection terminated unexpectedly'), target)).toMatchObject(
      {
        isRetryable: true,
      },
    );
  });

  it('asks for a password when none was given', () => {
    const error = connectFailure(
      'postgres',
      new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'),
      target,
    );
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('none was given');
  });
});

describe('statementFailure', () => {
  it('says a statement timeout (57014) is one and is retryable', () => {
    const error = statementFailure(
      'postgres',
      'pg_stat_activity',
      serverError('57014', 'canceling statement due to statement timeout'),
      250,
    );
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(
      /^connector-postgres: reading pg_stat_activity failed: the statement ran past the statement timeout of 250 ms/,
    );
  });

  it('says which privilege is missing (42501) and that it is not retryable', () => {
    const error = statementFailure(
      'postgres',
      'pg_stat_activity',
      serverError('42501', 'must be a member of the role'),
      250,
    );
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('pg_signal_backend');
  });

  it('treats a lost connection as retryable, and an unknown view as an old server', () => {
    expect(
      statementFailure('postgres', 'x', serverError('57P01', 'terminating connection'), 1).isRetryable,
    ).toBe(true);
    expect(
      statementFailure('postgres', 'x', new Error('Connection terminated unexpectedly'), 1).isRetryable,
    ).toBe(true);
    const old = statementFailure(
      'postgres',
      'x',
      serverError('42703', 'column "backend_type" does not exist'),
      1,
    );
    expect(old.isRetryable).toBe(false);
    expect(old.message).toContain('PostgreSQL 10 or later');
  });

  it('isConnectionLoss knows the codes and messages of a dropped connection', () => {
    expect(isConnectionLoss(serverError('08006', 'x'))).toBe(true);
    expect(isConnectionLoss(serverError('57P01', 'x'))).toBe(true);
    expect(
      isConnectionLoss(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe(true);
    expect(isConnectionLoss(serverError('57014', 'canceling statement'))).toBe(false);
  });
});
