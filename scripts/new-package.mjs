#!/usr/bin/env node
// Creates packages/<name> from the adapter template: `node scripts/new-package.mjs connector-kafka "Kafka lag and topics"`.
// Adapters (connector-*, llm-*) peer-depend on @aisre/core and dev-depend on it as workspace:*.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name, description = ''] = process.argv.slice(2);
if (!name || !/^(connector|llm)-[a-z0-9-]+$/.test(name)) {
  console.error('usage: node scripts/new-package.mjs <connector-x|llm-x> "<description>"');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'packages', name);
if (existsSync(dir)) {
  console.error(`new-package: packages/${name} exists already`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });
const entry = (file) => ({
  types: { import: `./dist/${file}.d.ts`, require: `./dist/${file}.d.cts` },
  import: `./dist/${file}.js`,
  require: `./dist/${file}.cjs`,
});
const manifest = {
  name: `@aisre/${name}`,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.19' },
  files: ['dist', 'README.md', 'CHANGELOG.md'],
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': entry('index'), './package.json': './package.json' },
  scripts: { build: 'tsup', typecheck: 'tsc --noEmit -p .' },
  dependencies: { zod: 'catalog:' },
  peerDependencies: { '@aisre/core': 'workspace:^' },
  devDependencies: {
    '@aisre/core': 'workspace:*',
    '@types/node': 'catalog:',
    tsup: 'catalog:',
    typescript: 'catalog:',
    vitest: 'catalog:',
  },
};
const files = {
  'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
  // Written as Biome formats it, so a new package passes `pnpm lint` as created.
  'tsconfig.json':
    '{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src", "bench", "tsup.config.ts"]\n}\n',
  'tsup.config.ts': `import { definePackageConfig } from '../../scripts/tsup-package';\n\nexport default definePackageConfig({ entry: { index: 'src/index.ts' } });\n`,
  'CHANGELOG.md': `# @aisre/${name}\n\n## 0.1.0\n\n- First release.\n`,
  'README.md': `# @aisre/${name}\n\n${description}\n\n\`\`\`sh\npnpm add @aisre/${name} @aisre/core\n\`\`\`\n`,
  'src/index.ts': `/**\n * @aisre/${name}: ${description}\n *\n * @module\n */\nexport {};\n`,
};
for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
console.log(`new-package: created packages/${name}; run pnpm install`);
