// better-sqlite3 for Electron's ABI. `npm ci` builds the addon for Node; Electron refuses that
// build (NODE_MODULE_VERSION mismatch). This compiles a second copy of it against Electron's
// headers into build/electron-native/electron-<version>/, leaving node_modules (the CLI's and the
// tests' build) untouched. electron/db/connection.ts loads it through better-sqlite3's
// `nativeBinding` option when it runs inside Electron, named by LIFEBOAT_SQLITE_BINDING (start-plan.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const NATIVE_BUILD_TIMEOUT_MS = 15 * 60_000;
const HEADERS_URL = 'https://electronjs.org/headers';

/** Where the Electron-ABI addon of one Electron version is built. */
export function electronBindingPath(root, electronVersion) {
  return path.join(root, 'build', 'electron-native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

/** npm's own node-gyp when run through npm (the newest one here), else the one in node_modules. */
export function findNodeGyp({ env = process.env, resolve } = {}) {
  const candidates = [];
  if (env.npm_execpath)
    candidates.push(path.join(path.dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    if (resolve) candidates.push(resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed: the npm one or nothing
  }
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

const NETWORK = /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/;
const NOISE = /^gyp ERR! (stack\s+at |System |command |cwd |node -v|node-gyp -v|not ok|configure error\s*$)/;

/** What a failed node-gyp run's output says went wrong, in one short phrase. */
export function buildFailureCause(output, status) {
  const lines = String(output)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.some((line) => NETWORK.test(line))) {
    const url = lines.map((line) => /^gyp http GET (\S+)/.exec(line)?.[1]).find(Boolean);
    const code = lines.map((line) => NETWORK.exec(line)?.[0]).find((word) => word && word !== 'network connectivity');
    return `Electron's headers could not be downloaded${url ? ` from ${url}` : ''}: ${code ?? 'no network connection'}`.slice(
      0,
      240,
    );
  }
  const compiler = lines.find((line) => /\berror:/i.test(line) && !line.startsWith('gyp'));
  const gyp = lines.find((line) => line.startsWith('gyp ERR!') && !NOISE.test(line));
  return (compiler ?? gyp ?? lines.at(-1) ?? `exit ${status}`).slice(0, 240);
}

/**
 * Make (once per Electron version) the Electron-ABI build of better-sqlite3.
 * Returns { binding } with the addon's path, or { problem } saying why it could not be made.
 * `run(command, args, options)` is spawnSync's shape; tests pass a fake.
 */
export function ensureElectronSqlite({
  root,
  electronVersion,
  nodeGyp,
  log = () => {},
  run = spawnSync,
  timeoutMs = NATIVE_BUILD_TIMEOUT_MS,
}) {
  const binding = electronBindingPath(root, electronVersion);
  if (fs.existsSync(binding)) return { binding };
  if (!nodeGyp) return { problem: 'node-gyp, needed to build better-sqlite3 for Electron, is not installed' };
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  if (!fs.existsSync(path.join(source, 'binding.gyp')))
    return { problem: 'node_modules/better-sqlite3 has no sources to build (run npm ci)' };

  const work = path.join(root, 'build', 'electron-native', 'work');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  for (const entry of ['binding.gyp', 'package.json', 'src', 'deps'])
    fs.cpSync(path.join(source, entry), path.join(work, entry), { recursive: true });

  log(`lifeboat: building better-sqlite3 for Electron ${electronVersion} (once; at most ${timeoutMs / 60_000} min)…`);
  const args = [
    nodeGyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--dist-url=${HEADERS_URL}`,
    `--devdir=${path.join(root, 'build', 'electron-native', 'headers')}`,
  ];
  const result = run(process.execPath, args, {
    cwd: work,
    timeout: timeoutMs,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error?.code === 'ETIMEDOUT')
    return { problem: `building better-sqlite3 for Electron timed out after ${timeoutMs / 60_000} min` };
  if (result.error) return { problem: `node-gyp did not run (${result.error.message})` };
  if (result.status !== 0) {
    return {
      problem: `building better-sqlite3 for Electron failed (${buildFailureCause(`${result.stdout}\n${result.stderr}`, result.status)})`,
    };
  }
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(built)) return { problem: 'node-gyp finished but left no better_sqlite3.node' };
  fs.mkdirSync(path.dirname(binding), { recursive: true });
  fs.copyFileSync(built, binding);
  fs.rmSync(work, { recursive: true, force: true });
  return { binding };
}
