import { definePackageConfig } from '../../scripts/tsup-package';

// `shims` gives the CommonJS build an `import.meta.url`, which locates the shipped scenarios folder.
export default definePackageConfig({ entry: { index: 'src/index.ts' }, shims: true });
