#!/usr/bin/env node
// `pnpm bench`: runs every benchmark script of the root package.json (`bench:*`), passing `--json` through.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
const json = process.argv.includes('--json');
const results = {};
for (const name of Object.keys(scripts)
  .filter((script) => script.startsWith('bench:'))
  .sort()) {
  if (json) {
    const output = execSync(`pnpm run --silent ${name} --json`, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    results[name.slice('bench:'.length)] = JSON.parse(output);
  } else {
    console.log(`\n=== ${name} ===`);
    execSync(`pnpm run --silent ${name}`, { cwd: root, stdio: 'inherit' });
  }
}
if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
