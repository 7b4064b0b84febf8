// The Debian packages the tests need (the end-to-end tests and PDF: chromium, poppler-utils; the
// lab of real hosts: the rest). `npm run setup` installs them, `npm test` checks for them first,
// and CI (.ci/run) runs `npm run setup` before the tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Each package with a file it installs, to look for where dpkg cannot be asked. */
export const SYSTEM_PACKAGES = {
  chromium: ['/usr/bin/chromium'],
  'openssh-server': ['/usr/sbin/sshd'],
  'openssh-client': ['ssh'],
  rsync: ['rsync'],
  'iputils-arping': ['arping'],
  iproute2: ['ip'],
  'poppler-utils': ['pdftoppm'],
  python3: ['python3'],
  procps: ['pkill'],
  psmisc: ['killall'],
  curl: ['curl'],
  'ca-certificates': ['/etc/ssl/certs/ca-certificates.crt'],
  keepalived: ['keepalived'],
  'systemd-container': ['systemd-nspawn'],
  debootstrap: ['debootstrap'],
};

export const PACKAGE_NAMES = Object.keys(SYSTEM_PACKAGES);

/** The command that installs them, as the newcomer is told to run it. */
export const SETUP_COMMAND = 'sudo npm run setup';

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Whether a file of the package is there: an absolute path, or a command on PATH or in the sbin directories. */
export function fileExists(name, env = process.env) {
  if (path.isAbsolute(name)) return fs.existsSync(name);
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCH_PATH];
  return dirs.some((dir) => fs.existsSync(path.join(dir, name)));
}

/** The installed state of each package from dpkg, or null where dpkg-query is not available. */
export function dpkgInstalled(names, run = spawnSync) {
  const result = run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\\n', ...names], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) return null;
  const installed = new Set(
    String(result.stdout)
      .split('\n')
      .map((line) => line.trim().split(' '))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name),
  );
  return (name) => installed.has(name);
}

/** The packages that are missing, asking dpkg where it can, else looking for their files. */
export function missingPackages({ installed = dpkgInstalled(PACKAGE_NAMES), exists = fileExists } = {}) {
  return PACKAGE_NAMES.filter((name) =>
    installed ? !installed(name) : !SYSTEM_PACKAGES[name].every((file) => exists(file)),
  );
}

/** The one message `npm test` stops with when packages are missing. */
export function missingMessage(missing) {
  return [
    `npm test needs ${missing.length === 1 ? 'a Debian package that is' : 'Debian packages that are'} not installed here: ${missing.join(', ')}.`,
    `Install ${missing.length === 1 ? 'it' : 'them'} (and the rest of what the tests use) with:`,
    '',
    `    ${SETUP_COMMAND}`,
    '',
  ].join('\n');
}
