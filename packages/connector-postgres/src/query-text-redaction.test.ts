import { describe, expect, it } from 'vitest';
import { redactSqlLiterals, safeQueryText, truncateText } from './query-text-redaction';

describe('redactSqlLiterals', () => {
  it('redacts a password literal and keeps the statement readable', () => {
    expect(redactSqlLiterals("ALTER ROLE app PASSWORD 'hunter2'")).toBe("ALTER ROLE app PASSWORD '…'");
    expect(redactSqlLiterals("CREATE USER x WITH ENCRYPTED PASSWORD 'SCRAM-SHA-256$4096:abc=$def='")).toBe(
      "CREATE USER x WITH ENCRYPTED PASSWORD '…'",
    );
  });

  it('handles doubled quotes, escape strings and prefixed literals', () => {
    expect(redactSqlLiterals("SELECT 'it''s secret', x FROM t")).toBe("SELECT '…', x FROM t");
    expect(redactSqlLiterals("SELECT E'a\\'still secret' AS v")).toBe("SELECT E'…' AS v");
    expect(redactSqlLiterals("SELECT U&'d\\0061t', B'0101', X'ff'")).toBe("SELECT U&'…', B'…', X'…'");
  });

  it('redacts dollar-quoted bodies but keeps parameters and identifiers with $', () => {
    expect(
      redactSqlLiterals('SELECT $$token abc$$, $tag$ nested $$ $tag$, $1, a$b FROM t WHERE c = $2'),
    ).toBe("SELECT '…', '…', $1, a$b FROM t WHERE c = $2");
  });

  it('redacts comments, nested ones included, and keeps quoted identifiers', () => {
    expect(
      redactSqlLiterals('SELECT 1 -- api_key=abc\nFROM "weird \'name" /* a /* b */ token */ WHERE x'),
    ).toBe('SELECT 1 /* … */\nFROM "weird \'name" /* … */ WHERE x');
  });

  it('redacts an unterminated literal to the end (a text cut by track_activity_query_size)', () => {
    expect(redactSqlLiterals("INSERT INTO t VALUES ('secret that was cut")).toBe("INSERT INTO t VALUES ('…'");
    expect(redactSqlLiterals('SELECT $q$ body never closed')).toBe("SELECT '…'");
  });

  it('leaves numbers, keywords and operators alone', () => {
    expect(redactSqlLiterals('SELECT * FROM orders WHERE id = 42 AND total > 3.5 LIMIT 10')).toBe(
      'SELECT * FROM orders WHERE id = 42 AND total > 3.5 LIMIT 10',
    );
  });
});

describe('safeQueryText', () => {
  it('redacts, folds white space and cuts', () => {
    expect(safeQueryText("UPDATE t\n   SET note = 'card 4111'   WHERE id = 1", 200)).toBe(
      "UPDATE t SET note = '…' WHERE id = 1",
    );
    expect(safeQueryText('SELECT a, b, c, d, e FROM some_table', 12)).toBe('SELECT a, b…');
    expect(safeQueryText(null, 10)).toBeNull();
  });

  it('never lets a literal through a cut', () => {
    const text = safeQueryText(`SELECT '${'x'.repeat(50)}secret'`, 30) ?? '';
    expect(text).not.toContain('secret');
    expect(text).not.toContain('x');
  });

  it('truncateText keeps short texts and marks cuts', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('abcdefghijk', 5)).toBe('abcd…');
  });
});
