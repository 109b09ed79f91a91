import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntitySummary, GraphBuildSummary, GraphDiffSummary } from './graph-summaries';
import { main } from './main';

const fixtures = fileURLToPath(new URL('../../graph/src/fixtures/', import.meta.url));

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

describe('aisre graph', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'aisre-graph-'));
    mkdirSync(join(folder, 'k8s', 'more'), { recursive: true });
    copyFileSync(join(fixtures, 'shop-manifests.yaml'), join(folder, 'k8s', 'shop.yaml'));
    copyFileSync(join(fixtures, 'malformed-manifests.yaml'), join(folder, 'k8s', 'more', 'broken.yaml'));
    writeFileSync(join(folder, 'k8s', 'notes.txt'), 'not a manifest');
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('builds the graph from a folder of manifests, reports malformed documents and goes on, writes a snapshot', async () => {
    const result = await run(['graph', 'build', 'k8s', '--out', 'graph.json'], folder);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^k8s\/more\/broken\.yaml: 2 ingested, 1 error\n {2}error: .*document 1/m);
    expect(result.stdout).toMatch(/^k8s\/shop\.yaml: \d+ ingested, \d+ skipped/m);
    expect(result.stdout).toContain('Secret');
    expect(result.stdout).not.toContain('notes.txt');
    expect(result.stdout).toMatch(/^nodes: \d+ \(/m);
    expect(result.stderr).toContain('wrote the snapshot to graph.json');
    const snapshot = readFileSync(join(folder, 'graph.json'), 'utf8');
    for (const secret of ['hunter2', 's3cret', 'czNjcmV0']) expect(snapshot).not.toContain(secret);
  });

  it('prints one JSON object with --json', async () => {
    const result = await run(['graph', 'build', 'k8s', '--json'], folder);
    const summary = JSON.parse(result.stdout) as GraphBuildSummary;
    const broken = summary.files.find((file) => file.file.endsWith('broken.yaml'));
    expect(broken?.errors[0]?.documentIndex).toBe(1);
    expect(summary.nodes.total).toBeGreaterThan(0);
    expect(summary.nodes.byKind.deployment).toBeGreaterThan(0);
  });

  it('shows what the graph knows about an entity: dependencies, blast radius, criticality', async () => {
    const text = await run(['graph', 'show', 'deployment:shop/cart', '--snapshot', 'graph.json'], folder);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^deployment:shop\/cart \(deployment\)/);
    expect(text.stdout).toContain('redis:shop/session-cache');
    const json = await run(
      ['graph', 'show', 'redis:shop/session-cache', '--snapshot', 'graph.json', '--json'],
      folder,
    );
    const summary = JSON.parse(json.stdout) as EntitySummary;
    expect(summary.dependents.map((hit) => hit.ref)).toContain('deployment:shop/cart');
    expect(summary.criticality.ref).toBe('redis:shop/session-cache');
  });

  it('scans a scenario system through the mock connector', async () => {
    const result = await run(
      [
        'graph',
        'show',
        'redis:shop/recommendation-cache',
        '--scenario',
        'redis-3am',
        '--depth',
        '2',
        '--json',
      ],
      folder,
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as EntitySummary;
    expect(summary.dependents.map((hit) => hit.ref)).toEqual(
      expect.arrayContaining(['service:shop/recommendation', 'service:shop/frontend']),
    );
  });

  it('diffs two snapshots', async () => {
    await run(['graph', 'build', 'k8s/more', '--out', 'small.json'], folder);
    const result = await run(['graph', 'diff', 'small.json', 'graph.json', '--json'], folder);
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout) as GraphDiffSummary;
    expect(diff.nodes.added).toContain('deployment:shop/cart');
    expect(diff.nodes.removed).toEqual([]);
    const text = await run(['graph', 'diff', 'small.json', 'graph.json'], folder);
    expect(text.stdout).toMatch(/^nodes: \d+ added, 0 removed/);
  });

  it('says the graph has no such entity, naming similar ones (exit 1)', async () => {
    const result = await run(['graph', 'show', 'service:other/cart', '--snapshot', 'graph.json'], folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the graph has no service:other/cart; entities with that name:');
    expect(result.stderr).toContain('deployment:shop/cart');
  });

  it.each([
    [['graph'], 'Usage: aisre graph build'],
    [['graph', 'frob'], 'aisre graph: unknown subcommand "frob"'],
    [['graph', 'build'], 'give manifest files or folders'],
    [['graph', 'build', 'no-such-dir'], 'no such file or folder'],
    [['graph', 'show', 'cart', '--snapshot', 'graph.json'], 'give an entity as kind:namespace/name'],
    [['graph', 'show', 'service:shop/cart'], 'give --snapshot <file>'],
    [['graph', 'show', 'service:shop/cart', '--snapshot', 'graph.json', '--depth', '0'], '--depth'],
    [['graph', 'diff', 'graph.json'], 'give two snapshot files'],
    [['graph', 'diff', 'k8s/shop.yaml', 'graph.json'], '"k8s/shop.yaml" is not a graph snapshot: not JSON'],
    [['graph', 'diff', 'missing.json', 'graph.json'], 'cannot read the snapshot "missing.json"'],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const result = await run(argv, folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('fails with the reason when a snapshot to build on is corrupt (exit 1)', async () => {
    writeFileSync(join(folder, 'corrupt.json'), JSON.stringify({ format: 'something else' }));
    const result = await run(['graph', 'show', 'service:shop/cart', '--snapshot', 'corrupt.json'], folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^aisre: graph show: "[^"]*corrupt\.json" is not a readable graph snapshot: graph-snapshot: /,
    );
  });

  it('rejects a file that is not a snapshot, naming the field', async () => {
    writeFileSync(join(folder, 'bogus.json'), JSON.stringify({ version: 99 }));
    const result = await run(['graph', 'diff', 'bogus.json', 'graph.json'], folder);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"bogus.json" is not a graph snapshot');
  });
});
