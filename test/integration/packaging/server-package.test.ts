/**
 * `npm run package:server` end to end: the npm tarball, installed with `npm install -g` into an empty
 * prefix (the tree the .deb carries), gives `lifeboat serve` without Electron; the .deb installs into a
 * scratch root with dpkg (its maintainer scripts make the lifeboat user and /var/lib/lifeboat); the
 * installed watcher answers the API with the token from its 0600 file, keeps it across restarts and
 * rotates it on demand. Slow: it compiles better-sqlite3 from source (about 2 minutes alone).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/workspace';
import { describeServerDebInLab } from './server-deb-lab';

const root = path.resolve(__dirname, '../../..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

let dir = '';
let release = '';
let scratch = '';
let deb = '';
const children = new Set<ChildProcess>();

function run(
  command: string,
  args: string[],
  timeout = 60_000,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = tempDir('lifeboat-server-package-');
  release = path.join(dir, 'release');
  const built = run(
    process.execPath,
    [path.join(root, 'scripts', 'package-server.mjs'), '--out', release, '--offline'],
    20 * 60_000,
  );
  if (built.status !== 0) throw new Error(`package:server failed:\n${built.stdout}\n${built.stderr}`);
  deb = path.join(
    release,
    fs.readdirSync(release).find((name) => name.endsWith('.deb'))!,
  );
  // An empty dpkg database in a scratch root; the scripts run outside it with DPKG_ROOT set.
  scratch = path.join(dir, 'root');
  for (const sub of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'etc'])
    fs.mkdirSync(path.join(scratch, sub), { recursive: true });
  fs.writeFileSync(path.join(scratch, 'var/lib/dpkg/status'), '');
}, 25 * 60_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** dpkg on the scratch root (dependencies are the host's to satisfy, not the scratch root's). */
function dpkg(...args: string[]) {
  return run(
    'dpkg',
    [`--root=${scratch}`, '--force-script-chrootless', '--force-depends', '--log=/dev/null', ...args],
    120_000,
  );
}

/** The installed CLI, as /usr/bin/lifeboat runs it: the package's own Node on the package's own tree. */
function installedCli(): [string, string] {
  return [
    path.join(scratch, 'usr/lib/lifeboat/node'),
    path.join(scratch, 'usr/lib/lifeboat/lib/node_modules/lifeboat/bin/lifeboat.cjs'),
  ];
}

/** Start the installed `lifeboat serve`; resolves with its port once it prints where it listens. */
async function startServe(
  db: string,
  tokenFile: string,
): Promise<{ child: ChildProcess; port: number; printed: string }> {
  const [node, cli] = installedCli();
  const child = spawn(node, [cli, '--db', db, 'serve', '--port', '0', '--token-file', tokenFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: '/usr/bin:/bin', HOME: dir },
  });
  children.add(child);
  let printed = '';
  child.stdout!.on('data', (chunk) => (printed += String(chunk)));
  child.stderr!.on('data', (chunk) => (printed += String(chunk)));
  const started = Date.now();
  while (
    !/Open: http:\/\/127\.0\.0\.1:(\d+)\//.test(printed) &&
    child.exitCode === null &&
    Date.now() - started < 30_000
  )
    await new Promise((resolve) => setTimeout(resolve, 50));
  const port = /Open: http:\/\/127\.0\.0\.1:(\d+)\//.exec(printed)?.[1];
  if (!port) throw new Error(`lifeboat serve did not start:\n${printed}`);
  return { child, port: Number(port), printed };
}

async function stopServe(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await Promise.race([
    exited,
    new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 15_000)),
  ]);
  children.delete(child);
  if (code === 'late') throw new Error('lifeboat serve did not stop within 15 s of SIGTERM');
  return code;
}

/** POST one API call; the HTTP status and the envelope. */
async function call(port: number, token: string | null, method: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Lifeboat-Token': token } : {}) },
    body: '{}',
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

describe('the server packages (npm run package:server)', { timeout: 120_000 }, () => {
  it('packs a tarball of the CLI and the console, without sources, maps or Electron', () => {
    const tarball = path.join(release, `lifeboat-${version}.tgz`);
    const files = run('tar', ['-tzf', tarball]).stdout.split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/bin/lifeboat.cjs',
        'package/dist/electron/cli.cjs',
        'package/dist/renderer/index.html',
      ]),
    );
    expect(
      files.filter((file) => file.endsWith('.map') || /^package\/(electron|shared|renderer|test|scripts)\//.test(file)),
    ).toEqual([]);
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']).stdout) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain('electron');
  });

  it('builds a .deb of that install, with its own Node, the unit, the user and the state directory', () => {
    expect(path.basename(deb)).toMatch(
      new RegExp(`^lifeboat-server_${version.replace(/\./g, '\\.')}_[a-z0-9]+\\.deb$`),
    );
    expect(run('dpkg-deb', ['-f', deb, 'Package']).stdout.trim()).toBe('lifeboat-server');
    const listing = run('dpkg-deb', ['-c', deb]).stdout;
    for (const file of [
      './usr/bin/lifeboat',
      './usr/lib/lifeboat/node',
      './usr/lib/systemd/system/lifeboat-serve.service',
      './usr/lib/sysusers.d/lifeboat.conf',
      './usr/lib/tmpfiles.d/lifeboat.conf',
    ]) {
      expect(listing).toContain(file);
    }
    expect(listing).toContain(
      './usr/lib/lifeboat/lib/node_modules/lifeboat/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
    expect(listing).not.toContain('node_modules/electron/');
  });

  it('installs with dpkg: the maintainer scripts make the lifeboat system user and /var/lib/lifeboat (0750)', () => {
    const installed = dpkg('-i', deb);
    expect(installed.status, installed.stderr).toBe(0);
    const user = fs
      .readFileSync(path.join(scratch, 'etc/passwd'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('lifeboat:'));
    expect(user).toBeDefined();
    const [, , uid, gid, , home, shell] = user!.split(':');
    expect(Number(uid)).toBeLessThan(1000); // a system user
    expect(home).toBe('/var/lib/lifeboat');
    expect(shell).toBe('/usr/sbin/nologin');
    const state = fs.statSync(path.join(scratch, 'var/lib/lifeboat'));
    expect(state.isDirectory()).toBe(true);
    expect(state.mode & 0o777).toBe(0o750);
    expect([state.uid, state.gid]).toEqual([Number(uid), Number(gid)]);
    const wrapper = fs.readFileSync(path.join(scratch, 'usr/bin/lifeboat'), 'utf8');
    const [, node, cli] = /exec (\S+) (\S+) "\$@"/.exec(wrapper)!;
    expect(fs.existsSync(path.join(scratch, node))).toBe(true);
    expect(fs.existsSync(path.join(scratch, cli))).toBe(true);
  });

  it('ships a unit that restarts on failure, is hardened, serves on loopback with the token file, and passes systemd-analyze verify', () => {
    const unit = fs.readFileSync(path.join(scratch, 'usr/lib/systemd/system/lifeboat-serve.service'), 'utf8');
    const settings = new Map(
      unit
        .split('\n')
        .filter((line) => /^[A-Za-z]+=/.test(line))
        .map((line) => line.split(/=(.*)/s, 2) as [string, string]),
    );
    expect(
      Object.fromEntries(
        ['User', 'Restart', 'NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'ReadWritePaths'].map(
          (key) => [key, settings.get(key)],
        ),
      ),
    ).toEqual({
      User: 'lifeboat',
      Restart: 'on-failure',
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      ReadWritePaths: '/var/lib/lifeboat',
    });
    expect(settings.get('ExecStart')).toBe(
      '/usr/bin/lifeboat --db /var/lib/lifeboat/workspace.db serve --port 8470 --token-file /var/lib/lifeboat/serve.token',
    );
    if (run('sh', ['-c', 'command -v systemd-analyze']).status !== 0)
      return void console.log('systemd-analyze is not installed: the unit was not verified by systemd');
    // Verified as systemd reads it, the command pointed at the scratch root's copy.
    const copy = path.join(dir, 'lifeboat-serve.service');
    fs.writeFileSync(copy, unit.replace('/usr/bin/lifeboat', path.join(scratch, 'usr/bin/lifeboat')));
    const verified = run('systemd-analyze', ['verify', copy]);
    expect(`${verified.stdout}${verified.stderr}`.trim()).toBe('');
    expect(verified.status).toBe(0);
    const security = run('systemd-analyze', ['security', '--offline=yes', copy]);
    console.log(
      `systemd-analyze security --offline=yes lifeboat-serve.service:\n${security.stdout.split('\n').slice(-3).join('\n')}`,
    );
  });

  it('serves the API with the token from its 0600 file, the same after a restart, and a new one after --rotate-token', async () => {
    const [node, cli] = installedCli();
    const help = run(node, [cli, 'serve', '--help']).stdout;
    expect(help).toContain('ssh -N -L 8470:127.0.0.1:8470');

    const state = path.join(dir, 'state');
    fs.mkdirSync(state, { mode: 0o750 });
    const db = path.join(state, 'workspace.db');
    const tokenFile = path.join(state, 'serve.token');
    const first = await startServe(db, tokenFile);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(first.printed).not.toContain(token); // never in a journal
    expect(await call(first.port, token, 'workspace.info')).toMatchObject({
      status: 200,
      body: expect.stringContaining('"ok":true'),
    });
    expect((await call(first.port, null, 'workspace.info')).status).toBe(403);
    expect((await call(first.port, 'x'.repeat(43), 'workspace.info')).status).toBe(403);
    expect(await stopServe(first.child)).toBe(0);

    const second = await startServe(db, tokenFile);
    expect(fs.readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    expect((await call(second.port, token, 'workspace.info')).status).toBe(200);
    await stopServe(second.child);

    // As the package's /usr/bin/lifeboat runs it: the token file from LIFEBOAT_TOKEN_FILE.
    expect(fs.readFileSync(path.join(scratch, 'usr/bin/lifeboat'), 'utf8')).toContain(
      'LIFEBOAT_TOKEN_FILE="${LIFEBOAT_TOKEN_FILE-/var/lib/lifeboat/serve.token}"',
    );
    const rotated = spawnSync(node, [cli, 'serve', '--rotate-token'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: '/usr/bin:/bin', LIFEBOAT_TOKEN_FILE: tokenFile },
    });
    expect(rotated.status, rotated.stderr).toBe(0);
    const newToken = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(newToken).not.toBe(token);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const third = await startServe(db, tokenFile);
    expect((await call(third.port, token, 'workspace.info')).status).toBe(403);
    expect((await call(third.port, newToken, 'workspace.info')).status).toBe(200);
    await stopServe(third.child);
  });

  it('removes its files with dpkg, and keeps the workspace directory (the recovery plan) on purge', () => {
    fs.writeFileSync(path.join(scratch, 'var/lib/lifeboat/workspace.db'), 'plan');
    const purged = dpkg('--purge', 'lifeboat-server');
    expect(purged.status, purged.stderr).toBe(0);
    expect(fs.existsSync(path.join(scratch, 'usr/bin/lifeboat'))).toBe(false);
    expect(fs.existsSync(path.join(scratch, 'usr/lib/lifeboat/node'))).toBe(false);
    expect(fs.readFileSync(path.join(scratch, 'var/lib/lifeboat/workspace.db'), 'utf8')).toBe('plan');
  });
});

describeServerDebInLab(() => deb);
