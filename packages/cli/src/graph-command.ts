import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diffSnapshots, type GraphSnapshot, graphSnapshotSchema, isEntityRef } from '@aisre/graph';
import { type CliIo, exitCodes } from './cli-io';
import { commonFlags, numberFlag, parseCommandFlags } from './command-flags';
import { buildGraph, type GraphSources } from './graph-sources';
import { summariseBuild, summariseDiff, summariseEntity } from './graph-summaries';
import { renderBuildText, renderDiffText, renderEntityText } from './graph-text';
import { commandHelp } from './help-text';
import { UsageError } from './usage-error';

const sourceFlags = {
  ...commonFlags,
  scenario: { type: 'string' },
  snapshot: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const buildFlags = { ...sourceFlags, out: { type: 'string' } } as const;
const showFlags = {
  ...sourceFlags,
  manifests: { type: 'string', multiple: true },
  depth: { type: 'string' },
} as const;
const diffFlags = { ...commonFlags, json: { type: 'boolean' } } as const;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function build(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandFlags(
    'graph build',
    args,
    buildFlags,
    Number.POSITIVE_INFINITY,
  );
  if (values.help) {
    io.stdout(commandHelp.graph ?? '');
    return exitCodes.ok;
  }
  const sources: GraphSources = {
    manifests: positionals,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    ...(values.snapshot === undefined ? {} : { snapshot: values.snapshot }),
  };
  if (positionals.length === 0 && !values.scenario && !values.snapshot) {
    throw new UsageError(
      'aisre graph build: give manifest files or folders, --scenario <name|file> or --snapshot <file>',
      'graph',
    );
  }
  const built = await buildGraph(sources, io.cwd, 'graph build');
  const summary = summariseBuild(built);
  if (values.out) {
    const file = resolve(io.cwd, values.out);
    writeFileSync(file, `${JSON.stringify(built.graph.snapshot())}\n`);
    io.stderr(`aisre graph build: wrote the snapshot to ${values.out}\n`);
  }
  io.stdout(values.json ? json(summary) : renderBuildText(summary));
  return exitCodes.ok;
}

async function show(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('graph show', args, showFlags, 1);
  if (values.help) {
    io.stdout(commandHelp.graph ?? '');
    return exitCodes.ok;
  }
  const ref = positionals[0];
  if (!ref || !isEntityRef(ref)) {
    throw new UsageError(
      `aisre graph show: give an entity as kind:namespace/name (e.g. service:shop/cart)${ref ? `, not "${ref}"` : ''}`,
      'graph',
    );
  }
  const manifests = values.manifests ?? [];
  if (manifests.length === 0 && !values.scenario && !values.snapshot) {
    throw new UsageError(
      'aisre graph show: give --snapshot <file>, --scenario <name|file> or --manifests <path>',
      'graph',
    );
  }
  const depth = numberFlag('graph show', 'depth', values.depth, { integer: true, min: 1 }) ?? 3;
  const built = await buildGraph(
    {
      manifests,
      ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
      ...(values.snapshot === undefined ? {} : { snapshot: values.snapshot }),
    },
    io.cwd,
    'graph show',
  );
  const summary = summariseEntity(built.graph, ref, depth);
  if (!summary) {
    const similar = built.graph.findByName(ref.slice(ref.lastIndexOf('/') + 1));
    io.stderr(
      `aisre graph show: the graph has no ${ref}${similar.length > 0 ? `; entities with that name: ${similar.join(', ')}` : ''}\n`,
    );
    return exitCodes.failure;
  }
  io.stdout(values.json ? json(summary) : renderEntityText(summary, depth));
  return exitCodes.ok;
}

function readSnapshotFile(file: string, cwd: string): GraphSnapshot {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new UsageError(`aisre graph diff: cannot read the snapshot "${file}"`, 'graph');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `aisre graph diff: "${file}" is not a graph snapshot: not JSON (${error instanceof Error ? error.message : String(error)})`,
      'graph',
    );
  }
  const parsed = graphSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `aisre graph diff: "${file}" is not a graph snapshot: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      'graph',
    );
  }
  return parsed.data as GraphSnapshot;
}

async function diff(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('graph diff', args, diffFlags, 2);
  if (values.help) {
    io.stdout(commandHelp.graph ?? '');
    return exitCodes.ok;
  }
  const [before, after] = positionals;
  if (!before || !after)
    throw new UsageError('aisre graph diff: give two snapshot files: <before> <after>', 'graph');
  const summary = summariseDiff(
    diffSnapshots(readSnapshotFile(before, io.cwd), readSnapshotFile(after, io.cwd)),
  );
  io.stdout(values.json ? json(summary) : renderDiffText(summary));
  return exitCodes.ok;
}

const subcommands: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> = {
  build,
  show,
  diff,
};

/**
 * `aisre graph build|show|diff`: builds the operational knowledge graph from Kubernetes manifests, a scenario's
 * system or a snapshot; shows what it knows about an entity (dependencies, blast radius, peers, criticality,
 * changes, incidents); compares two snapshots.
 *
 * @param args - the arguments after `graph`
 * @param io - where to write
 * @returns the exit code
 */
export async function graphCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout)(commandHelp.graph ?? '');
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    throw new UsageError(
      `aisre graph: unknown subcommand "${name}"; subcommands: build, show, diff`,
      'graph',
    );
  }
  return await subcommand(rest, io);
}
