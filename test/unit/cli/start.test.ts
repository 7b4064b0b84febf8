import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseConsole, electronEnv, headlessArgs, headlessNotice } from '../../../scripts/start-plan.mjs';
import { electronBindingPath, ensureElectronSqlite } from '../../../scripts/electron-native.mjs';
import { tempDir } from '../../helpers/workspace';

const ROOT = process.cwd();
const never = () => {
  throw new Error('should not be asked');
};

describe('npm start: which console', () => {
  it('runs headless without a display, without looking for Electron', () => {
    const choice = chooseConsole({
      platform: 'linux',
      env: {},
      findElectron: never,
      fetchElectron: never,
      buildNative: never,
    });
    expect(choice).toEqual({ kind: 'headless', reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' });
  });

  it('runs headless when the Electron binary is missing and cannot be fetched, saying why', () => {
    let fetched = 0;
    const choice = chooseConsole({
      platform: 'linux',
      env: { DISPLAY: ':0' },
      findElectron: () => null,
      fetchElectron: () => {
        fetched++;
        return 'fetching it failed (getaddrinfo ENOTFOUND)';
      },
      buildNative: never,
    });
    expect(fetched).toBe(1);
    expect(choice).toEqual({
      kind: 'headless',
      reason: 'the Electron binary is not installed and fetching it failed (getaddrinfo ENOTFOUND)',
    });
  });

  it('runs headless when better-sqlite3 cannot be built for Electron', () => {
    const choice = chooseConsole({
      platform: 'linux',
      env: { WAYLAND_DISPLAY: 'wayland-0' },
      findElectron: () => '/opt/electron',
      fetchElectron: never,
      buildNative: () => ({ problem: 'building better-sqlite3 for Electron failed (gyp ERR! connect ENETUNREACH)' }),
    });
    expect(choice.kind).toBe('headless');
    expect(choice.kind === 'headless' && choice.reason).toContain('ENETUNREACH');
  });

  it('opens Electron with the Electron-ABI addon when all is there (any platform with a display)', () => {
    const choice = chooseConsole({
      platform: 'darwin',
      env: {},
      findElectron: () => '/opt/electron',
      fetchElectron: never,
      buildNative: () => ({ binding: '/b/x.node' }),
    });
    expect(choice).toEqual({ kind: 'electron', binary: '/opt/electron', binding: '/b/x.node' });
    const env = electronEnv({ ELECTRON_RUN_AS_NODE: '1', PATH: '/bin' }, '/b/x.node');
    expect(env).toEqual({ PATH: '/bin', LIFEBOAT_SQLITE_BINDING: '/b/x.node' });
  });

  it('passes --db and --port to the headless host', () => {
    expect(headlessArgs('/r', { db: '/tmp/x.db', port: '8470' })).toEqual([
      '/r/bin/lifeboat.cjs',
      '--db',
      '/tmp/x.db',
      'serve',
      '--port',
      '8470',
    ]);
    expect(headlessNotice('there is no display')).toBe(
      'lifeboat: there is no display, so the console runs headless: open the URL below in a browser.',
    );
  });
});

// What node-gyp 12 prints here, where the headers cannot be downloaded.
const NO_NETWORK = `gyp info it worked if it ends with ok
gyp http GET https://electronjs.org/headers/v41.7.1/node-v41.7.1-headers.tar.gz
gyp WARN install got an error, rolling back install
gyp ERR! configure error
gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and
gyp ERR! stack is related to network connectivity. In most cases you are behind a proxy or have bad
gyp ERR! stack network settings.
gyp ERR! stack at go (/usr/lib/node_modules/npm/node_modules/node-gyp/lib/install.js:244:21)
gyp ERR! not ok
`;

describe('npm start: better-sqlite3 for Electron', () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const fakeSources = () => {
    root = tempDir('lifeboat-native-');
    const source = path.join(root, 'node_modules', 'better-sqlite3');
    for (const dir of ['src', 'deps']) fs.mkdirSync(path.join(source, dir), { recursive: true });
    fs.writeFileSync(path.join(source, 'binding.gyp'), '{}');
    fs.writeFileSync(path.join(source, 'package.json'), '{}');
  };

  it('builds against Electron headers in a separate directory and keeps node_modules untouched', () => {
    fakeSources();
    const calls: { args: string[]; cwd: string }[] = [];
    const result = ensureElectronSqlite({
      root,
      electronVersion: '41.7.1',
      nodeGyp: '/x/node-gyp.js',
      run: (_cmd: string, args: string[], options: { cwd: string }) => {
        calls.push({ args, cwd: options.cwd });
        fs.mkdirSync(path.join(options.cwd, 'build', 'Release'), { recursive: true });
        fs.writeFileSync(path.join(options.cwd, 'build', 'Release', 'better_sqlite3.node'), 'addon');
        return { status: 0, stdout: '', stderr: '' };
      },
    });
    expect(result).toEqual({ binding: electronBindingPath(root, '41.7.1') });
    expect(fs.readFileSync(result.binding!, 'utf8')).toBe('addon');
    expect(calls).toHaveLength(1);
    expect(calls[0].args).toEqual(
      expect.arrayContaining(['rebuild', '--target=41.7.1', '--dist-url=https://electronjs.org/headers']),
    );
    expect(calls[0].cwd.startsWith(path.join(root, 'build', 'electron-native'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'node_modules', 'better-sqlite3', 'build'))).toBe(false);
    // Once built, it is not built again.
    expect(ensureElectronSqlite({ root, electronVersion: '41.7.1', nodeGyp: '/x/node-gyp.js', run: never })).toEqual(
      result,
    );
  });

  it('says why when the build fails (no network for the headers), and leaves no addon', () => {
    fakeSources();
    const result = ensureElectronSqlite({
      root,
      electronVersion: '41.7.1',
      nodeGyp: '/x/node-gyp.js',
      run: () => ({ status: 1, stdout: '', stderr: NO_NETWORK }),
    });
    expect(result.problem).toBe(
      "building better-sqlite3 for Electron failed (Electron's headers could not be downloaded from https://electronjs.org/headers/v41.7.1/node-v41.7.1-headers.tar.gz: no network connection)",
    );
    expect(fs.existsSync(electronBindingPath(root, '41.7.1'))).toBe(false);
  });

  it('names the first compiler error when the compile itself fails', () => {
    fakeSources();
    const stderr =
      'gyp info spawn make\n../src/better_sqlite3.cpp:12:10: fatal error: node.h: No such file or directory\ngyp ERR! build error\ngyp ERR! not ok\n';
    const result = ensureElectronSqlite({
      root,
      electronVersion: '41.7.1',
      nodeGyp: '/x/node-gyp.js',
      run: () => ({ status: 1, stdout: '', stderr }),
    });
    expect(result.problem).toContain('fatal error: node.h: No such file or directory');
  });

  it('says so when node-gyp is missing', () => {
    fakeSources();
    expect(ensureElectronSqlite({ root, electronVersion: '41.7.1', nodeGyp: null, run: never }).problem).toContain(
      'node-gyp',
    );
  });
});

/** Run the real `npm start` script until it prints the headless host's URL, then stop it. */
function startUntilUrl(env: NodeJS.ProcessEnv, db: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--db', db, '--port', '0'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within 60 s:\n${out}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (/Open: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.test(out)) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        child.once('exit', () => resolve(out));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!/Open: /.test(out)) reject(new Error(`start.mjs exited (${code}) without a URL:\n${out}`));
    });
  });
}

describe('npm start, really run', () => {
  const base = () => {
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    return env;
  };
  it('without a display: says so and prints the headless URL', async () => {
    const dir = tempDir();
    try {
      const out = await startUntilUrl(base(), path.join(dir, 'ws.db'));
      expect(out).toContain(
        'lifeboat: there is no display (DISPLAY and WAYLAND_DISPLAY are unset), so the console runs headless',
      );
      expect(out).toMatch(/Open: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  // ELECTRON_OVERRIDE_DIST_PATH points the electron package at an empty place, as on a machine without the binary.
  it('with a display but no Electron binary: says so and prints the headless URL', async () => {
    const dir = tempDir();
    try {
      const out = await startUntilUrl(
        {
          ...base(),
          DISPLAY: ':99',
          ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
          ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'),
        },
        path.join(dir, 'ws.db'),
      );
      expect(out).toContain(
        'lifeboat: the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set (unset it and npm start fetches it)',
      );
      expect(out).toMatch(/Open: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
