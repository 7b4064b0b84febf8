// `sudo npm run setup`: install the Debian packages the tests need (scripts/system-packages.mjs),
// with apt, without recommended extras. CI (.ci/run) runs it before the tests.
import { spawnSync } from 'node:child_process';
import { PACKAGE_NAMES } from './system-packages.mjs';

/** The apt-get commands setup runs, in order. */
export function setupCommands(packages = PACKAGE_NAMES) {
  const wait = ['-o', 'DPkg::Lock::Timeout=300'];
  return [
    ['apt-get', [...wait, 'update']],
    ['apt-get', [...wait, 'install', '-y', '--no-install-recommends', ...packages]],
  ];
}

/** Run setup; returns the exit code. `run` is spawnSync's shape, for tests. */
export function setup({ run = spawnSync, uid = process.getuid?.(), log = console.log, error = console.error } = {}) {
  if (uid !== 0) {
    error('npm run setup installs Debian packages with apt-get, which needs root: run `sudo npm run setup`.');
    return 1;
  }
  for (const [command, args] of setupCommands()) {
    log(`setup: ${command} ${args.join(' ')}`);
    const result = run(command, args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 30 * 60_000,
    });
    if (result.error?.code === 'ENOENT') {
      error(
        'npm run setup needs apt-get (Debian or Ubuntu). Elsewhere install these with your package manager: ' +
          PACKAGE_NAMES.join(' '),
      );
      return 1;
    }
    if (result.error || result.status !== 0) {
      error(
        `setup: ${command} ${args[args.length - 1] === 'update' ? 'update' : 'install'} failed (${result.error?.message ?? `exit ${result.status}`})`,
      );
      return 1;
    }
  }
  log(`setup: installed ${PACKAGE_NAMES.length} packages; npm test can run`);
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) process.exitCode = setup();
