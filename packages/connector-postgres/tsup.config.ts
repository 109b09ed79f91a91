import { definePackageConfig } from '../../scripts/tsup-package';

export default definePackageConfig({ entry: { index: 'src/index.ts' } });
