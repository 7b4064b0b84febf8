/**
 * The lab from the command line: `up`, `down`, `status`. Bundled to dist/lab.cjs by
 * scripts/build.mjs; `npm run lab` reaches it through the lifeboat CLI. Exports main(argv) and runs
 * itself only when executed directly (`node dist/lab.cjs up`).
 */
import {
  acquireLabLock,
  cachedRoot,
  defaultLabDir,
  ensureRoot,
  GROUPS,
  HOST_NAMES,
  labAvailable,
  labHealth,
  openLab,
  startLab,
  stopLab,
  type Lab,
} from './lab';
import { writeLabWorkspace } from './console';

const USAGE = `usage: lab <command> [options]

commands:
  up       start the lab (reuses a healthy running lab unless --fresh), print a summary
  down     stop the lab: its containers and processes, mounts, cgroups, namespaces, veths, bridge, directory
  status   print the lab's hosts and whether it is healthy (exit 0 when healthy)
  root     build the hosts' Debian root now unless it is cached (debootstrap; up does it when needed)

options:
  --dir <path>   lab directory (default $LIFEBOAT_LAB_DIR or /tmp/lifeboat-lab)
  --fresh        up: always start a new lab
  --workspace <file>  up: also write a Lifeboat workspace describing the lab there (host keys pinned)
  --force        down: do not wait for the lab lock (when its holder is stuck)
  --json         status: print lab.json and the health as JSON
  -q, --quiet    up: no progress lines
`;

interface Args {
  command: string | undefined;
  dir?: string;
  workspace?: string;
  fresh: boolean;
  force: boolean;
  json: boolean;
  quiet: boolean;
  help: boolean;
}

function parse(argv: readonly string[]): Args {
  const args: Args = { command: undefined, fresh: false, force: false, json: false, quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir') {
      const value = argv[++i];
      if (!value) throw new Error('--dir needs a path');
      args.dir = value;
    } else if (a.startsWith('--dir=')) args.dir = a.slice('--dir='.length);
    else if (a === '--workspace') {
      const value = argv[++i];
      if (!value) throw new Error('--workspace needs a file');
      args.workspace = value;
    } else if (a === '--fresh') args.fresh = true;
    else if (a === '--force') args.force = true;
    else if (a === '--json') args.json = true;
    else if (a === '-q' || a === '--quiet') args.quiet = true;
    else if (a === '-h' || a === '--help' || a === 'help') args.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (args.command === undefined) args.command = a;
    else throw new Error(`unexpected argument ${JSON.stringify(a)}`);
  }
  return args;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '))
    .join('\n');
}

/** The summary `up` and `status` print. */
export function summary(lab: Lab): string {
  const vipOf = new Map(GROUPS.map((g) => [g.primary as string, `${lab.vips[g.name]} (${g.name} VIP)`]));
  const rows = [['host', 'address', 'role', 'units', 'ssh', 'host key']];
  for (const name of HOST_NAMES) {
    const h = lab.hosts[name];
    const address = vipOf.has(name) ? `${h.ip} + ${vipOf.get(name)}` : h.ip;
    rows.push([
      name,
      address,
      h.group ? `${h.group} ${h.role}` : h.role,
      (h.units ?? []).join(',') || '-',
      `${h.user}@${h.ip}:${h.port}`,
      h.hostKeyFingerprint,
    ]);
  }
  return [
    table(rows),
    '',
    `ssh key      ${lab.keyPath}`,
    `known_hosts  ${lab.knownHostsPath}`,
    `postgres     ${lab.postgres.primary} primary -> ${lab.postgres.standby} standby: ${lab.postgres.unit}, port ${lab.postgres.port}, data ${lab.postgres.dataDir}, pg_ctl in ${lab.postgres.bin}, database ${lab.postgres.database}`,
    `root         ${lab.root} (read-only, one overlay per host)`,
    `web          http://${lab.vips.web}/ answers with the name of the host holding the VIP`,
    `try          ssh ${lab.sshArgs('web-a').join(' ')} hostname`,
    `lab.json     ${lab.labJsonPath}`,
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`lab: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (args.help || !args.command) {
    process.stdout.write(USAGE);
    return args.help ? 0 : 2;
  }
  const dir = args.dir ?? defaultLabDir();
  switch (args.command) {
    case 'up': {
      const available = labAvailable();
      if (!available.ok) {
        process.stderr.write(`lab: cannot start here: ${available.reason}\n`);
        return 1;
      }
      const lab = await startLab({
        dir,
        reuse: !args.fresh,
        origin: 'cli',
        log: args.quiet ? undefined : (line) => process.stderr.write(`lab: ${line}\n`),
      });
      process.stdout.write(
        `${summary(lab)}\n${lab.reused ? 'lab was already up (reused)' : `lab up in ${(lab.startupMs / 1000).toFixed(1)} s`}\n`,
      );
      if (args.workspace) {
        const written = await writeLabWorkspace(lab, args.workspace);
        process.stdout.write(
          `workspace    ${args.workspace}: ${written.servers} servers, ${written.pinned} host keys pinned, ${written.checks} health checks\n`,
        );
      }
      return 0;
    }
    case 'root': {
      const available = labAvailable();
      if (!available.ok) {
        process.stderr.write(`lab: cannot build here: ${available.reason}\n`);
        return 1;
      }
      const cached = cachedRoot();
      if (cached) {
        process.stdout.write(`lab root cached: ${cached}\n`);
        return 0;
      }
      const started = Date.now();
      const lock = await acquireLabLock({ purpose: 'lab root build', timeoutMs: 240_000 });
      try {
        const root = await ensureRoot({ log: (line) => process.stderr.write(`lab: ${line}\n`) });
        process.stdout.write(`lab root built in ${Math.round((Date.now() - started) / 1000)} s: ${root}\n`);
      } finally {
        lock.release();
      }
      return 0;
    }
    case 'down': {
      await stopLab(dir, { force: args.force, log: (line) => process.stderr.write(`lab: ${line}\n`) });
      process.stdout.write(`lab down (${dir} removed)\n`);
      return 0;
    }
    case 'status': {
      const lab = openLab(dir);
      if (!lab) {
        if (args.json) process.stdout.write(`${JSON.stringify({ up: false, dir })}\n`);
        else process.stdout.write(`no lab in ${dir}\n`);
        return 1;
      }
      const health = await labHealth(dir);
      if (args.json) {
        const {
          exec: _e,
          ssh: _s,
          sshArgs: _a,
          psql: _p,
          probe: _pr,
          health: _h,
          stop: _st,
          reused: _r,
          ...info
        } = lab;
        process.stdout.write(`${JSON.stringify({ up: true, health, lab: info }, null, 2)}\n`);
      } else {
        process.stdout.write(`${summary(lab)}\n`);
        process.stdout.write(
          health.ok
            ? 'healthy: every host answers, each VIP on its primary, db-b streaming\n'
            : `not healthy:\n${health.problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
      }
      return health.ok ? 0 : 1;
    }
    default:
      process.stderr.write(`lab: unknown command ${JSON.stringify(args.command)}\n${USAGE}`);
      return 2;
  }
}

// Run when executed directly as CommonJS (the esbuild bundle); never when imported (tests, the lifeboat CLI).
if (typeof require !== 'undefined' && typeof __filename !== 'undefined' && require.main?.filename === __filename) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`lab: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
