import { defineConfig } from 'vitest/config';
import { root, workspaceAliases } from './vitest.shared.ts';

// Unit tests: deterministic, no servers. Integration and live tests have their own configs.
export default defineConfig({
  root,
  resolve: { alias: workspaceAliases },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.integration.test.ts', '**/*.live.test.ts'],
    typecheck: {
      enabled: true,
      include: ['packages/*/src/**/*.test-d.ts'],
      tsconfig: 'packages/core/tsconfig.json',
    },
    testTimeout: 30_000,
    pool: 'threads',
  },
});
