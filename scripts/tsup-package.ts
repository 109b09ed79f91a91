import { defineConfig, type Options } from 'tsup';

/**
 * The one build recipe every package uses: ESM + CJS, bundled `.d.ts`, sourcemaps, Node 20.
 * A package's `tsup.config.ts` names only its entry points.
 */
export function definePackageConfig(
  options: { entry: Record<string, string> | string[] } & Partial<Options>,
) {
  return defineConfig({
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { paths: {} } },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    ...options,
  });
}
