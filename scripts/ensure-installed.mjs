#!/usr/bin/env node
// Makes a fresh clone runnable: installs pnpm through npm when it is missing, then the workspace's
// dependencies when node_modules is missing or older than the lockfile. Cheap when nothing is to do,
// so the README's commands can call it every time.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = String(manifest.packageManager ?? 'pnpm@10').replace(/^pnpm@/, '');

function run(command) {
  execSync(command, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

function hasPnpm() {
  try {
    execSync('pnpm --version', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!hasPnpm()) {
  console.error(`setup: pnpm is missing; installing pnpm@${pnpmVersion} through npm`);
  run(`npm install --global --no-fund --no-audit pnpm@${pnpmVersion}`);
}

const lockfile = join(root, 'pnpm-lock.yaml');
const installState = join(root, 'node_modules', '.modules.yaml');
const stale =
  !existsSync(installState) ||
  (existsSync(lockfile) && statSync(lockfile).mtimeMs > statSync(installState).mtimeMs);
if (stale) {
  console.error('setup: installing dependencies');
  run(existsSync(lockfile) && process.env.CI ? 'pnpm install --frozen-lockfile' : 'pnpm install');
}
