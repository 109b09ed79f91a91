#!/usr/bin/env node
// Checks the dependency rules between workspace packages (docs/architecture.md):
// no cycles; @aisre/graph depends on no other @aisre package; @aisre/core only on @aisre/graph;
// connectors and model adapters depend on @aisre/core alone (peer + dev), never on each other;
// only the CLI and examples may depend on adapters.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifests = [];
for (const folder of ['packages', 'examples']) {
  const dir = join(root, folder);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'package.json');
    if (existsSync(file)) manifests.push({ folder, manifest: JSON.parse(readFileSync(file, 'utf8')) });
  }
}

const workspaceNames = new Set(manifests.map((entry) => entry.manifest.name));
const edges = new Map();
for (const { manifest } of manifests) {
  const all = {
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.devDependencies,
    ...manifest.optionalDependencies,
  };
  edges.set(
    manifest.name,
    Object.keys(all).filter((dependency) => workspaceNames.has(dependency)),
  );
}

const problems = [];
const role = (name) => {
  if (name === '@aisre/graph') return 'graph';
  if (name === '@aisre/core') return 'core';
  if (/^@aisre\/(connector|llm)-/.test(name)) return 'adapter';
  if (name === '@aisre/cli') return 'cli';
  return 'consumer';
};
const allowed = {
  graph: () => false,
  core: (dependency) => dependency === '@aisre/graph',
  adapter: (dependency) => dependency === '@aisre/core' || dependency === '@aisre/graph',
  cli: () => true,
  consumer: () => true,
};
for (const [name, dependencies] of edges) {
  for (const dependency of dependencies) {
    if (!allowed[role(name)](dependency)) problems.push(`${name} must not depend on ${dependency}`);
  }
}

// Cycle detection (depth-first, colours).
const colour = new Map();
const stack = [];
function visit(name) {
  colour.set(name, 'grey');
  stack.push(name);
  for (const next of edges.get(name) ?? []) {
    if (colour.get(next) === 'grey')
      problems.push(`cycle: ${[...stack.slice(stack.indexOf(next)), next].join(' -> ')}`);
    else if (!colour.has(next)) visit(next);
  }
  stack.pop();
  colour.set(name, 'black');
}
for (const name of edges.keys()) if (!colour.has(name)) visit(name);

if (problems.length > 0) {
  console.error(`package graph: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`package graph: ${edges.size} packages, no cycles, layering holds`);
