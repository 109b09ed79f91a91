import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

// Tests import workspace packages from source, so `pnpm test` needs no build first.
export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^@aisre\/core\/testing$/, replacement: `${root}packages/core/src/testing/index.ts` },
      { find: /^@aisre\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
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
