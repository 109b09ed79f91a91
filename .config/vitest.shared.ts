import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** Tests import workspace packages from source, so no build is needed first. */
export const workspaceAliases = [
  { find: /^@aisre\/core\/testing$/, replacement: `${root}packages/core/src/testing/index.ts` },
  { find: /^@aisre\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
];
