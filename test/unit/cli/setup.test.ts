/** A newcomer's first `npm test`: one message naming the missing Debian packages and `sudo npm run setup`, which installs them with apt. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgInstalled, missingMessage, missingPackages, PACKAGE_NAMES } from '../../../scripts/system-packages.mjs';
import { setup, setupCommands } from '../../../scripts/setup.mjs';

const root = path.resolve(__dirname, '../../..');

describe("npm test's first check", () => {
  it('names exactly the packages dpkg does not report installed', () => {
    const absent = new Set(['chromium', 'poppler-utils', 'keepalived']);
    expect(missingPackages({ installed: (name) => !absent.has(name) })).toEqual([
      'chromium',
      'poppler-utils',
      'keepalived',
    ]);
    expect(missingPackages({ installed: () => true })).toEqual([]);
  });

  it('without dpkg, looks for a file of each package', () => {
    expect(
      missingPackages({ installed: null, exists: (file) => file !== 'pdftoppm' && file !== '/usr/bin/chromium' }),
    ).toEqual(['chromium', 'poppler-utils']);
  });

  it('reads dpkg-query: installed only when dpkg says so (removed, config-files and unknown packages are missing)', () => {
    const fake = () => ({ stdout: 'chromium installed\npoppler-utils config-files\nrsync not-installed\n' });
    const installed = dpkgInstalled(['chromium', 'poppler-utils', 'rsync', 'curl'], fake)!;
    expect(['chromium', 'poppler-utils', 'rsync', 'curl'].filter(installed)).toEqual(['chromium']);
    expect(dpkgInstalled(['x'], () => ({ error: new Error('spawn dpkg-query ENOENT'), stdout: '' }))).toBeNull();
  });

  it('says it in one message with the one command to run', () => {
    expect(missingMessage(['chromium', 'poppler-utils'])).toBe(
      'npm test needs Debian packages that are not installed here: chromium, poppler-utils.\nInstall them (and the rest of what the tests use) with:\n\n    sudo npm run setup\n',
    );
  });

  it('stops npm test before anything else when a package is missing, and lets it run when none is', () => {
    // The real check against this machine: CI and the developers here have everything.
    const here = spawnSync(process.execPath, [path.join(root, 'scripts', 'test-requirements.mjs')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const missing = missingPackages();
    expect(here.status).toBe(missing.length ? 1 : 0);
    expect(here.stderr).toBe(missing.length ? `${missingMessage(missing)}\n` : '');
  });
});

describe('npm run setup', () => {
  it('installs the whole list with apt-get, without recommends, after an update', () => {
    expect(setupCommands()).toEqual([
      ['apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update']],
      ['apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...PACKAGE_NAMES]],
    ]);
    expect(PACKAGE_NAMES).toEqual([
      'chromium',
      'openssh-server',
      'openssh-client',
      'rsync',
      'iputils-arping',
      'iproute2',
      'poppler-utils',
      'python3',
      'procps',
      'psmisc',
      'curl',
      'ca-certificates',
      'keepalived',
      'systemd-container',
      'debootstrap',
    ]);
  });

  it('runs apt-get non-interactively, and stops at the first failure', () => {
    const calls: string[] = [];
    const ok = setup({
      uid: 0,
      log: () => {},
      error: () => {},
      run: (command, args, options) => (
        calls.push(`${options.env?.DEBIAN_FRONTEND} ${command} ${args.at(-1)}`),
        { status: 0 }
      ),
    });
    expect(ok).toBe(0);
    expect(calls).toEqual(['noninteractive apt-get update', 'noninteractive apt-get debootstrap']);
    const errors: string[] = [];
    const failed = setup({ uid: 0, log: () => {}, error: (m) => errors.push(m), run: () => ({ status: 100 }) });
    expect(failed).toBe(1);
    expect(errors).toEqual(['setup: apt-get update failed (exit 100)']);
  });

  it('asks for sudo when not root, and says what to install where there is no apt-get', () => {
    const errors: string[] = [];
    expect(setup({ uid: 1000, error: (m) => errors.push(m), run: () => ({ status: 0 }) })).toBe(1);
    expect(errors[0]).toContain('sudo npm run setup');
    const enoent = Object.assign(new Error('spawn apt-get ENOENT'), { code: 'ENOENT' });
    expect(
      setup({ uid: 0, log: () => {}, error: (m) => errors.push(m), run: () => ({ error: enoent, status: null }) }),
    ).toBe(1);
    expect(errors[1]).toContain('needs apt-get');
  });
});
