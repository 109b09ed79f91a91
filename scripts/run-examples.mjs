#!/usr/bin/env node
// Runs every example's `start` script (examples/<name>/package.json), one after another; fails on the first failure.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = join(root, 'examples');
const names = existsSync(examplesDir)
  ? readdirSync(examplesDir)
      .filter((name) => existsSync(join(examplesDir, name, 'package.json')))
      .sort()
  : [];
for (const name of names) {
  const manifest = JSON.parse(readFileSync(join(examplesDir, name, 'package.json'), 'utf8'));
  if (!manifest.scripts?.start) {
    console.error(`examples: ${name} has no start script`);
    process.exit(1);
  }
  console.log(`\n--- example ${name} ---`);
  const started = performance.now();
  execSync('pnpm run --silent start', {
    cwd: join(examplesDir, name),
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  });
  console.log(`--- example ${name}: ok in ${Math.round(performance.now() - started)} ms ---`);
}
console.log(`\nexamples: ${names.length} ran`);
