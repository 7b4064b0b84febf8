/**
 * `lifeboat sync install|status|remove GROUP`: the scheduled guarded sync of an rsync group,
 * through the dispatcher like every other call. install prints every file in full and asks for the
 * group's name (bound to the sha256 of what was printed); --yes confirms without typing.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { App } from '../app';
import { printable } from '../../shared/validation';
import { SYNC_STATUS_WORDS, type SyncTimerStatus } from '../../shared/sync-status';
import { askOnStdin, type Ask } from './hosts';
import { Exit, type CliEnv } from './env';

interface InstallOptions {
  interval?: number;
  maxDelete?: number;
  delete?: boolean;
  sshUser?: string;
  identityFile?: string;
  knownHostsFile?: string;
  yes?: boolean;
  json?: boolean;
}

function wholeNumber(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) throw new InvalidArgumentError('a whole number');
  return Number(value);
}

async function groupIdOf(env: CliEnv, app: App, name: string): Promise<number> {
  const { groups } = await env.call(app, 'workspace.snapshot', {});
  const group = groups.find((g) => g.name === name);
  if (!group) {
    env.io.err(
      `error: no service group named "${printable(name).slice(0, 80)}". Groups: ${groups.map((g) => g.name).join(', ') || '(none)'}`,
    );
    throw new Exit(2);
  }
  return group.id;
}

const when = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** The status as a person reads it, one member per block. */
export function formatSyncStatus(status: SyncTimerStatus): string {
  const lines = [`Scheduled sync of ${status.group}`];
  for (const m of status.members) {
    lines.push(
      `  ${m.server}: ${m.detail}${m.scheduler ? ` (timer: ${m.scheduler})` : ''}${m.paused ? ', PAUSED' : ''}`,
    );
    if (m.next) lines.push(`    next run: ${m.next}`);
    if (m.last)
      lines.push(
        `    last run: ${when(m.last.start)} from ${m.last.holder}, ${SYNC_STATUS_WORDS[m.last.status]} (exit ${m.last.exit}, ${m.last.bytes} bytes)`,
      );
    if (m.good) lines.push(`    last good run: ${when(m.good.start)} from ${m.good.holder} to ${m.good.to}`);
  }
  lines.push(
    `  actual RPO: ${status.actualRpoMinutes === null ? 'unknown (no good run recorded)' : `${status.actualRpoMinutes} min`}` +
      (status.rpoMinutes === null ? '' : ` (the service's RPO: ${status.rpoMinutes} min)`),
  );
  return lines.join('\n');
}

/** Register `lifeboat sync`. */
export function registerSyncCommands(program: Command, env: CliEnv, ask: Ask = askOnStdin): void {
  const sync = program.command('sync').description('the scheduled guarded sync of an rsync group');
  sync
    .command('install <group>')
    .description('show the files for both members, then install them after you type the group name')
    .option('--interval <seconds>', "seconds between runs (default: the group's sync interval)", wholeNumber)
    .option('--max-delete <n>', 'rsync --max-delete: at most this many deletions per run (default 100)', wholeNumber)
    .option('--no-delete', 'do not delete files on the receiver that the holder no longer has')
    .option('--ssh-user <user>', 'the user each member logs in as on the other (default root)')
    .option('--identity-file <path>', 'the key file on the members for reaching each other')
    .option('--known-hosts-file <path>', 'the known-hosts file on the members')
    .option('--yes', "confirm without typing the group's name")
    .option('--json', 'print the status as JSON')
    .action((group: string, opts: InstallOptions) =>
      env.withApp(async (app) => {
        const groupId = await groupIdOf(env, app, group);
        const options = {
          ...(opts.interval !== undefined ? { intervalSeconds: opts.interval } : {}),
          ...(opts.maxDelete !== undefined ? { maxDelete: opts.maxDelete } : {}),
          ...(opts.delete === false ? { delete: false } : {}),
          ...(opts.sshUser !== undefined ? { sshUser: opts.sshUser } : {}),
          ...(opts.identityFile !== undefined ? { identityFile: opts.identityFile } : {}),
          ...(opts.knownHostsFile !== undefined ? { knownHostsFile: opts.knownHostsFile } : {}),
        };
        const preview = await env.call(app, 'sync.preview', { groupId, options });
        for (const member of preview.members) {
          env.io.out(`==== ${member.server} (${member.scheduler})`);
          for (const file of member.files)
            env.io.out(`---- ${file.path}${file.mode ? ` (mode ${file.mode})` : ''}\n${file.content}`);
        }
        env.io.out(`files sha256 ${preview.sha256}`);
        const confirmation = opts.yes
          ? preview.confirmation
          : ((await ask(`Type the group's name (${preview.confirmation}) to write these files: `)) ?? '').trim();
        const status = await env.call(app, 'sync.install', { groupId, options, sha256: preview.sha256, confirmation });
        env.io.out(opts.json ? JSON.stringify(status) : formatSyncStatus(status));
      }),
    );
  sync
    .command('status <group>')
    .description("read the timer on each member, its last run's stamp and the actual RPO")
    .option('--json', 'print JSON')
    .action((group: string, opts: { json?: boolean }) =>
      env.withApp(async (app) => {
        const status = await env.call(app, 'sync.status', { groupId: await groupIdOf(env, app, group) });
        env.io.out(opts.json ? JSON.stringify(status) : formatSyncStatus(status));
        if (status.members.some((m) => m.state === 'unknown')) throw new Exit(1);
      }),
    );
  sync
    .command('remove <group>')
    .description('remove the timer, its files and stamps from both members after you type the group name')
    .option('--yes', "confirm without typing the group's name")
    .action((group: string, opts: { yes?: boolean }) =>
      env.withApp(async (app) => {
        const groupId = await groupIdOf(env, app, group);
        const confirmation = opts.yes
          ? group
          : ((await ask(`Type the group's name (${group}) to remove its scheduled sync: `)) ?? '').trim();
        env.io.out(formatSyncStatus(await env.call(app, 'sync.remove', { groupId, confirmation })));
      }),
    );
}
