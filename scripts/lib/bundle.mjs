// What the build and the bench harnesses share: the repository root, the modules every bundle
// leaves outside (native or heavy: they load from node_modules at run time), and bundling a
// TypeScript entry into CommonJS that Node can require.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Never bundled: native addons, Electron itself, and packages that find files next to themselves. */
export const EXTERNALS = ['electron', 'better-sqlite3', 'ssh2', 'cpu-features', 'playwright-core', 'nodemailer'];

/** esbuild options every main-process bundle uses. */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: EXTERNALS,
  logLevel: 'warning',
};

/**
 * Bundle `entry` (a file path, or `{ contents }` of a TypeScript module resolved from the root)
 * into a fresh directory under build/ (inside the repository, so the bundle finds node_modules),
 * copy `companions` (files the harness reads next to itself) beside it, and require it.
 * Returns the module and a `dispose` that removes the directory.
 */
export async function bundleHarness(name, entry, companions = []) {
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'build', `${name}-`));
  const outfile = path.join(dir, `${name}.cjs`);
  const source =
    typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, sourcefile: `${name}-entry.ts`, loader: 'ts' } };
  await build({ ...NODE_BUNDLE, ...source, outfile });
  for (const file of companions) fs.copyFileSync(file, path.join(dir, path.basename(file)));
  const loaded = createRequire(path.join(ROOT, 'package.json'))(outfile);
  return { module: loaded, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Newest modification time of the TypeScript the CLI bundle is built from. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
    }
  };
  walk(path.join(ROOT, 'electron'));
  walk(path.join(ROOT, 'shared'));
  return newest;
}

/** Build dist/electron/cli.cjs when it is missing or older than its sources. */
export function buildCliIfNeeded() {
  const cli = path.join(ROOT, 'dist', 'electron', 'cli.cjs');
  if (fs.existsSync(cli) && fs.statSync(cli).mtimeMs >= newestSource()) return;
  console.log('building the CLI first (npm run build -- main)…');
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), 'main'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
