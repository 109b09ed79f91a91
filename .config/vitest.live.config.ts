import { defineConfig } from 'vitest/config';
import { root, workspaceAliases } from './vitest.shared.ts';

// The live end-to-end test: real faults in the lab's Redis and PostgreSQL, through Alertmanager to the SDK.
export default defineConfig({
  root,
  resolve: { alias: workspaceAliases },
  test: {
    include: ['packages/*/src/**/*.live.test.ts', 'examples/*/src/**/*.live.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
