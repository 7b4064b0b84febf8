// `npm start [-- --db FILE --port N]`: the Electron window where Electron can run, otherwise the
// headless host (`lifeboat serve`), which prints the URL to open. Builds first when dist/ is
// missing or older than the sources.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseConsole, electronEnv, headlessArgs, headlessNotice } from './start-plan.mjs';
import { ensureElectronSqlite, findNodeGyp } from './electron-native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const FETCH_TIMEOUT_MS = 60_000;
const OUTPUTS = [
  'dist/electron/main.cjs',
  'dist/electron/preload.cjs',
  'dist/electron/cli.cjs',
  'dist/renderer/index.html',
];
const SOURCES = ['electron', 'shared', 'renderer', 'package.json', 'scripts/build.mjs', 'renderer.vite.config.mts'];

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== '--db' && flag !== '--port') usage(`unknown argument ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (!value) usage(`${flag} needs a value`);
    options[flag.slice(2)] = value;
  }
  return options;
}

function usage(problem) {
  console.error(
    `npm start: ${problem}\nusage: npm start -- [--db FILE] [--port N]   (--port is for the headless host)`,
  );
  process.exit(2);
}

function newestMtime(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) {
    if (name !== 'node_modules') newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

function ensureBuilt() {
  const outputs = OUTPUTS.map((file) => fs.statSync(path.join(root, file), { throwIfNoEntry: false }));
  const oldestOutput = outputs.some((stat) => !stat) ? 0 : Math.min(...outputs.map((stat) => stat.mtimeMs));
  const newestSource = Math.max(...SOURCES.map((entry) => newestMtime(path.join(root, entry))));
  if (oldestOutput > newestSource) return;
  console.log(
    oldestOutput ? 'lifeboat: sources changed since the last build; building…' : 'lifeboat: not built yet; building…',
  );
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

/** The Electron binary if it is installed, else null (the package throws or names a missing file then). */
function electronBinary() {
  try {
    delete require.cache[require.resolve('electron')];
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Run the electron package's own installer once; returns why it failed, or null. */
function fetchElectron() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD)
    return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set (unset it and npm start fetches it)';
  const installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  console.log(`lifeboat: the Electron binary is not installed; fetching it (at most ${FETCH_TIMEOUT_MS / 1000} s)…`);
  const run = spawnSync(process.execPath, [installer], {
    cwd: path.dirname(installer),
    timeout: FETCH_TIMEOUT_MS,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error?.code === 'ETIMEDOUT') return `fetching it timed out after ${FETCH_TIMEOUT_MS / 1000} s`;
  if (run.error) return `its installer did not run (${run.error.message})`;
  if (run.status !== 0) {
    const output = `${run.stderr}\n${run.stdout}`.split('\n').map((line) => line.trim());
    const cause =
      output.find((line) => /error|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT/i.test(line)) ??
      output.find(Boolean) ??
      `exit ${run.status}`;
    return `fetching it failed (${cause.slice(0, 160)})`;
  }
  return null;
}

// Ctrl+C reaches the child from the terminal already; sending it again would cut its shutdown short.
let current = null;
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => current?.kill(signal));

function failStart(error) {
  console.error(`lifeboat: ${error.message}`);
  process.exit(1);
}

/** Run a child with our stdio and leave with its exit code; onError if it cannot be started at all. */
function runChild(command, args, options = {}, onError = failStart) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
  let failed = false;
  child.once('error', (error) => {
    failed = true;
    onError(error);
  });
  child.on('exit', (code, signal) => {
    if (!failed) process.exit(code ?? (signal ? 1 : 0));
  });
  current = child;
}

function runHeadless(reason, options) {
  console.log(headlessNotice(reason));
  runChild(process.execPath, headlessArgs(root, options));
}

function buildNative() {
  const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const nodeGyp = findNodeGyp({ resolve: (id) => require.resolve(id) });
  return ensureElectronSqlite({ root, electronVersion, nodeGyp, log: (line) => console.log(line) });
}

const options = parseArgs(process.argv.slice(2));
options.db ??= process.env.LIFEBOAT_DB || undefined;
if (options.db) options.db = path.resolve(options.db);
ensureBuilt();

const choice = chooseConsole({
  platform: process.platform,
  env: process.env,
  findElectron: electronBinary,
  fetchElectron,
  buildNative,
});
if (choice.kind === 'headless') {
  runHeadless(choice.reason, options);
} else {
  runChild(
    choice.binary,
    [root, ...(options.db ? ['--db', options.db] : [])],
    { env: electronEnv(process.env, choice.binding) },
    (error) => runHeadless(`Electron could not be started (${error.message})`, options),
  );
}
