import { defineConfig } from 'vitest/config';
import { root, workspaceAliases } from './vitest.shared.ts';

// Integration tests against the real servers of the lab (docs/lab.md): `pnpm test:integration` starts them.
// Files run one at a time: they share the servers, and some inject faults into them.
export default defineConfig({
  root,
  resolve: { alias: workspaceAliases },
  test: {
    include: ['packages/*/src/**/*.integration.test.ts', 'examples/*/src/**/*.integration.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
