// `npm run package:server [-- --out DIR] [--offline]`: the always-on watcher's packages, into release/ by default.
//   lifeboat-<version>.tgz                   `npm pack`: installs with `npm install -g`, no Electron
//   lifeboat-server_<version>_<arch>.deb     that tarball installed into /usr/lib/lifeboat with the
//                                            Node runtime it was built for, a `lifeboat` system user,
//                                            /var/lib/lifeboat and lifeboat-serve.service
// Built with npm and dpkg-deb only: better-sqlite3 is compiled from source, nothing else is fetched
// but the registry's packages.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const assets = path.join(root, 'assets', 'packaging', 'server');
const INSTALL_TIMEOUT_MS = 15 * 60_000;

function parseArgs(argv) {
  let out = path.join(root, 'release');
  let offline = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = path.resolve(argv[++i]);
    else if (argv[i] === '--offline') offline = true;
    else fail(`unknown argument ${argv[i]}\nusage: npm run package:server -- [--out DIR] [--offline]`);
  }
  return { out, offline };
}

function fail(message) {
  console.error(`package:server: ${message}`);
  process.exit(1);
}

/** Run a command to completion (bounded), or stop with what it printed. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0)
    fail(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** `npm pack` (its prepare script builds dist/ first); returns the tarball's path. */
function packTarball(out) {
  const printed = run('npm', ['pack', '--pack-destination', out, '--json'], { cwd: root });
  const [{ filename }] = JSON.parse(printed.slice(printed.indexOf('[')));
  return path.join(out, filename);
}

/** Install the tarball with `npm install -g` into an empty prefix, compiling the native addons here. */
function installInto(prefix, tarball, offline) {
  fs.mkdirSync(prefix, { recursive: true });
  if (fs.readdirSync(prefix).length) fail(`${prefix} is not empty`);
  // --prefer-offline: the packages `npm ci` already put in npm's cache are not fetched again;
  // --offline (the tests): nothing is fetched at all, and a package missing from the cache fails.
  run(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      offline ? '--offline' : '--prefer-offline',
      tarball,
    ],
    {
      // better-sqlite3 would first try to download a prebuilt addon; build it from source at once.
      env: { ...process.env, npm_config_build_from_source: 'true' },
    },
  );
  const installed = path.join(prefix, 'lib', 'node_modules', 'lifeboat');
  if (fs.existsSync(path.join(installed, 'node_modules', 'electron')))
    fail('electron was installed with the server package; it must stay a development dependency');
  // What compiling left behind that nothing loads: objects, the SQLite sources.
  const addon = path.join(installed, 'node_modules', 'better-sqlite3');
  for (const entry of [
    'deps',
    'src',
    'build/Release/obj',
    'build/Release/obj.target',
    'build/Release/.deps',
    'build/Release/test_extension.node',
  ]) {
    fs.rmSync(path.join(addon, entry), { recursive: true, force: true });
  }
  return installed;
}

function copy(from, to, mode) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  fs.chmodSync(to, mode);
}

function debianArch() {
  return run('dpkg', ['--print-architecture']).trim();
}

/** The .deb's tree: /usr/lib/lifeboat (prefix + node), /usr/bin/lifeboat, the unit, sysusers, tmpfiles. */
function debTree(tree, tarball, version, offline) {
  const lib = path.join(tree, 'usr', 'lib', 'lifeboat');
  installInto(lib, tarball, offline);
  // npm's bin link runs whatever `node` is on PATH; the package's own command uses its own Node.
  fs.rmSync(path.join(lib, 'bin'), { recursive: true, force: true });
  copy(process.execPath, path.join(lib, 'node'), 0o755);
  copy(path.join(assets, 'lifeboat'), path.join(tree, 'usr', 'bin', 'lifeboat'), 0o755);
  copy(
    path.join(assets, 'lifeboat-serve.service'),
    path.join(tree, 'usr', 'lib', 'systemd', 'system', 'lifeboat-serve.service'),
    0o644,
  );
  copy(path.join(assets, 'sysusers.conf'), path.join(tree, 'usr', 'lib', 'sysusers.d', 'lifeboat.conf'), 0o644);
  copy(path.join(assets, 'tmpfiles.conf'), path.join(tree, 'usr', 'lib', 'tmpfiles.d', 'lifeboat.conf'), 0o644);
  for (const script of ['postinst', 'prerm', 'postrm'])
    copy(path.join(assets, script), path.join(tree, 'DEBIAN', script), 0o755);

  const installedKiB = Number(run('du', ['-sk', '--exclude=DEBIAN', tree]).split('\t')[0]);
  const control = [
    'Package: lifeboat-server',
    `Version: ${version}`,
    `Architecture: ${debianArch()}`,
    'Maintainer: Lifeboat maintainers <maintainers@lifeboat.invalid>',
    `Installed-Size: ${installedKiB}`,
    // The Node runtime it carries needs only these; systemd-sysusers/tmpfiles or adduser make the user.
    'Depends: libc6 (>= 2.28), libstdc++6, libgcc-s1, adduser | systemd',
    'Section: admin',
    'Priority: optional',
    'Description: Lifeboat watcher: the always-on headless console and health monitoring',
    ' Runs `lifeboat serve` as the lifeboat-serve systemd service: the Lifeboat console on',
    ' 127.0.0.1:8470 (reach it through an SSH tunnel) and background health checks of the',
    " workspace in /var/lib/lifeboat, with a heartbeat to a dead-man's-switch URL.",
    '',
  ].join('\n');
  fs.writeFileSync(path.join(tree, 'DEBIAN', 'control'), control);
}

const { out, offline } = parseArgs(process.argv.slice(2));
fs.mkdirSync(out, { recursive: true });
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const started = Date.now();
const tarball = packTarball(out);
console.log(`wrote ${tarball}`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-deb-'));
try {
  const tree = path.join(work, 'tree');
  debTree(tree, tarball, version, offline);
  const deb = path.join(out, `lifeboat-server_${version}_${debianArch()}.deb`);
  run('dpkg-deb', ['--root-owner-group', '-Zxz', '-z1', '--build', tree, deb]);
  console.log(`wrote ${deb}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`package:server done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
