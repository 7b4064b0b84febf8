/**
 * `lifeboat runs …`: list runs, close an interrupted one (audited, with a note), and recover locks
 * by hand: the workspace's run lock left by another machine or a dead process (`break-lock`), and
 * the on-host lock of a group on its members (`host-locks`, `break-host-lock`). Breaking asks for the
 * words that name the owner's host and the run, typed, and a reason; both go into the audit log.
 */
import type { Command } from 'commander';
import type { App } from '../app';
import type { RunView } from '../../shared/contract/failover';
import { printable } from '../../shared/validation';
import { askOnStdin, type Ask } from './hosts';
import { Exit, type CliEnv } from './env';

function runNumber(env: CliEnv, value: string): number {
  const id = Number(value);
  if (!/^[0-9]{1,12}$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    env.io.err(`error: "${printable(value)}" is not a run number`);
    throw new Exit(2);
  }
  return id;
}

function runLine(run: RunView): string {
  const when = new Date(run.startedAt).toISOString();
  const owner =
    run.status === 'running'
      ? ` (pid ${run.owner.pid} on ${run.owner.host}${run.owner.alive ? '' : ', not seen alive from here'})`
      : '';
  return `#${run.id} ${run.groupName} ${run.mode} ${run.status}${owner} started ${when} by ${run.operator}${run.summary ? ` — ${run.summary}` : ''}`;
}

async function typed(
  env: CliEnv,
  ask: Ask,
  given: string | undefined,
  expected: string,
  what: string,
): Promise<string> {
  if (given !== undefined) return given;
  const answer = await ask(`To break ${what}, type "${expected}": `);
  if (answer === null) {
    env.io.err('error: no confirmation on standard input: nothing was broken');
    throw new Exit(1);
  }
  return answer.trim();
}

async function groupIdByName(env: CliEnv, app: App, name: string): Promise<number> {
  const snapshot = await env.call(app, 'workspace.snapshot', {});
  const group = snapshot.groups.find((g) => g.name === name);
  if (!group) {
    env.io.err(
      `error: no service group named "${printable(name)}". Groups: ${snapshot.groups.map((g) => g.name).join(', ') || '(none)'}`,
    );
    throw new Exit(2);
  }
  return group.id;
}

export function registerRunCommands(program: Command, env: CliEnv, ask: Ask = askOnStdin): void {
  const runs = program.command('runs').description('failover runs: list, close an interrupted one, recover locks');

  runs
    .command('list')
    .description('runs and drills, newest first, and the run locks held now')
    .option('--group <name>', 'only the runs of one group')
    .option('--json', 'print JSON')
    .action((opts: { group?: string; json?: boolean }) =>
      env.withApp(async (app) => {
        const groupId = opts.group === undefined ? undefined : await groupIdByName(env, app, opts.group);
        const list = await env.call(app, 'runs.list', { groupId, limit: 50 });
        const locks = await env.call(app, 'runs.locks', {});
        if (opts.json) return void env.io.out(JSON.stringify({ runs: list, locks }, null, 2));
        for (const run of list) env.io.out(runLine(run));
        for (const lock of locks) {
          const beat =
            lock.heartbeatAt === null
              ? 'no heartbeat'
              : `last heartbeat ${Math.round((Date.now() - lock.heartbeatAt) / 1000)} s ago`;
          env.io.out(
            `lock: ${lock.groupName} held by run #${lock.runId} (pid ${lock.ownerPid} on ${lock.ownerHost}, ${beat})${lock.refusal ? `; cannot be broken: ${lock.refusal}` : `; may be broken: lifeboat runs break-lock ${lock.runId}`}`,
          );
        }
      }),
    );

  runs
    .command('close')
    .description('close an interrupted, failed or aborted run with a note (audited)')
    .argument('<run>', 'run number')
    .requiredOption('--note <text>', 'what was done about it (goes into the audit log)')
    .action((value: string, opts: { note: string }) =>
      env.withApp(async (app) => {
        const view = await env.call(app, 'runs.close', { runId: runNumber(env, value), note: opts.note });
        env.io.out(`run #${view.id} closed: ${view.note}`);
      }),
    );

  runs
    .command('break-lock')
    .description("break a run's lock left by another machine or a dead process (typed confirmation, audited)")
    .argument('<run>', 'run number')
    .requiredOption('--reason <text>', 'why it is safe (goes into the audit log)')
    .option('--confirm <words>', 'the confirmation words (else asked on standard input)')
    .action((value: string, opts: { reason: string; confirm?: string }) =>
      env.withApp(async (app) => {
        const runId = runNumber(env, value);
        const lock = (await env.call(app, 'runs.locks', {})).find((l) => l.runId === runId);
        if (!lock) {
          env.io.err(`error: run #${runId} holds no lock (is it still running?): see \`lifeboat runs list\``);
          throw new Exit(1);
        }
        env.io.out(
          `Run #${runId} of ${lock.groupName}: held by pid ${lock.ownerPid} on ${lock.ownerHost} since ${new Date(lock.acquiredAt).toISOString()}`,
        );
        if (lock.refusal) {
          env.io.err(`error: the lock cannot be broken: ${lock.refusal}`);
          throw new Exit(1);
        }
        const confirmation = await typed(
          env,
          ask,
          opts.confirm,
          lock.confirmation,
          `the lock of run #${runId} held on ${lock.ownerHost}`,
        );
        const view = await env.call(app, 'runs.breakLock', { runId, confirmation, reason: opts.reason });
        env.io.out(
          `lock broken (audited): run #${view.id} is ${view.status}. Go on with \`lifeboat failover ${view.groupName} --to <member> --resume ${view.id}\`, or close it with \`lifeboat runs close ${view.id} --note "..."\``,
        );
      }),
    );

  runs
    .command('host-locks')
    .description("read the group's on-host lock on every member (owner, run, age)")
    .argument('<group>', 'service group name')
    .option('--json', 'print JSON')
    .action((group: string, opts: { json?: boolean }) =>
      env.withApp(async (app) => {
        const views = await env.call(app, 'runs.hostLocks', { groupId: await groupIdByName(env, app, group) });
        if (opts.json) return void env.io.out(JSON.stringify(views, null, 2));
        for (const view of views)
          env.io.out(
            `${view.host}: ${view.state}${view.state === 'free' ? '' : ` — ${view.detail}`}${view.lock ? ` [token ${view.lock.token}]` : ''}`,
          );
      }),
    );

  runs
    .command('break-host-lock')
    .description('break a stale on-host lock on one member (typed confirmation, audited)')
    .argument('<group>', 'service group name')
    .requiredOption('--on <member>', 'the member whose lock to break')
    .requiredOption('--reason <text>', 'why it is safe (goes into the audit log)')
    .option('--confirm <words>', 'the confirmation words (else asked on standard input)')
    .action((group: string, opts: { on: string; reason: string; confirm?: string }) =>
      env.withApp(async (app) => {
        const groupId = await groupIdByName(env, app, group);
        const view = (await env.call(app, 'runs.hostLocks', { groupId })).find((v) => v.host === opts.on);
        if (!view) {
          env.io.err(`error: "${printable(opts.on)}" is not a member of ${printable(group)}`);
          throw new Exit(2);
        }
        if (view.state !== 'held') {
          env.io.err(`error: ${view.host} holds no lock to break (${view.state}: ${view.detail})`);
          throw new Exit(1);
        }
        env.io.out(`${view.host}: ${view.detail}`);
        const confirmation = await typed(env, ask, opts.confirm, view.confirmation, `the on-host lock on ${view.host}`);
        await env.call(app, 'runs.breakHostLock', {
          groupId,
          serverId: view.serverId,
          token: view.lock?.token ?? 'empty',
          confirmation,
          reason: opts.reason,
        });
        env.io.out(`on-host lock on ${view.host} broken (audited)`);
      }),
    );
}
