// Builds what runs: the main-process bundles (esbuild) and the renderer (Vite).
// Type checking is `npm run typecheck` (tsc -b); this script only transpiles and bundles.
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';
import fs from 'node:fs';
import path from 'node:path';
import { NODE_BUNDLE, ROOT } from './lib/bundle.mjs';

const root = ROOT;
const only = process.argv[2]; // "main" | "renderer" | undefined for both

async function buildMain() {
  const common = { ...NODE_BUNDLE, sourcemap: true };
  await build({
    ...common,
    entryPoints: {
      'electron/main': path.join(root, 'electron/main.ts'),
      'electron/cli': path.join(root, 'electron/cli.ts'),
      ...(fs.existsSync(path.join(root, 'test/lab/cli.ts')) ? { lab: path.join(root, 'test/lab/cli.ts') } : {}),
    },
    outdir: path.join(root, 'dist'),
    outExtension: { '.js': '.cjs' },
  });
  // The preload runs sandboxed: one self-contained CommonJS file that requires only "electron".
  await build({
    ...common,
    entryPoints: { 'electron/preload': path.join(root, 'electron/preload.ts') },
    outdir: path.join(root, 'dist'),
    outExtension: { '.js': '.cjs' },
  });
}

async function buildRenderer() {
  process.env.NODE_ENV = 'production';
  // The console ships React's production build whatever NODE_ENV the caller has (vitest sets "test",
  // and a test that packs the app runs this build).
  await viteBuild({ configFile: path.join(root, 'renderer.vite.config.mts'), logLevel: 'warn', mode: 'production' });
}

const started = Date.now();
if (only !== 'renderer') await buildMain();
if (only !== 'main') await buildRenderer();
console.log(`built ${only ?? 'main and renderer'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
