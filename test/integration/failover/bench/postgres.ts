/**
 * The PostgreSQL part of the failover bench: fail the lab's db group over (db-a → db-b) with the
 * DEFAULT runbook — its pre-flight, the fence through the real unit proven by `pg_ctl status`, the
 * promotion, the re-read of the old primary and the final verification all included — while a
 * client writes through the db VIP, and print when the first write was accepted after the start.
 * Beside it, in the same run, a manual warm `pg_ctl promote -w` of a scratch standby (the floor of
 * promotion alone). The promotion cannot be undone: run this last; the lab is not pristine after.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../../../electron/app';
import { exampleCompany } from '../../../../shared/example-company';
import { PlanDocument, planToYaml } from '../../../../shared/plan-file';
import type { Snapshot } from '../../../../shared/domain';
import { createSshRunner } from '../../../../electron/ssh/runner';
import { createSshRuntime } from '../../../../electron/ssh/runtime';
import { viewRun } from '../../../../electron/failover/engine';
import { startConfirmed as startRun } from '../../../unit/failover/confirmed';
import type { Lab } from '../../../lab/lab';

/** Each write attempt is cut after this long, so an attempt caught in the gap costs at most this. */
const WRITE_ATTEMPT_S = 0.5;
/**
 * A new write attempt starts this often, whether or not the one before has answered: an attempt
 * whose connection went to the VIP while nobody held it waits out its bound, and a client that
 * waited for it would report that bound, not the failover.
 */
const WRITE_EVERY_S = 0.05;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client in the client host's network namespace inserting through the db VIP in a loop, one
 * psql per write (bounded by WRITE_ATTEMPT_S), one started every WRITE_EVERY_S; prints "ok <ms>" or
 * "fail <ms>" per attempt when it ends (one short line, written at once).
 */
function writer(lab: Lab, seconds: number): Promise<{ ok: boolean; at: number; host: string }[]> {
  // The answer names the server that took the write (its /etc/hostname): both answer on the VIP.
  const sql =
    "insert into lifeboat_bench (at) values (clock_timestamp()) returning trim(pg_read_file('/etc/hostname'))";
  const attempt = `h=$(timeout ${WRITE_ATTEMPT_S} psql -X -q -A -t -h ${lab.vips.db} -p ${lab.postgres.port} -U ${lab.postgres.superuser} -d ${lab.postgres.database} -c "${sql}" 2>/dev/null)`;
  const loop = `end=$(( $(date +%s) + ${Math.ceil(seconds)} )); while [ "$(date +%s)" -lt "$end" ]; do ( if ${attempt} && [ -n "$h" ]; then echo "ok $(date +%s%3N) $h"; else echo "fail $(date +%s%3N)"; fi ) & sleep ${WRITE_EVERY_S}; done; wait`;
  const child = spawn('ip', ['netns', 'exec', lab.hosts.client.namespace, 'sh', '-c', loop], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, PGCONNECT_TIMEOUT: '2' },
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', () =>
      resolve(
        text
          .split('\n')
          .flatMap((line) => {
            const m = /^(ok|fail) (\d+)(?: (\S+))?$/.exec(line);
            return m ? [{ ok: m[1] === 'ok', at: Number(m[2]), host: m[3] ?? '' }] : [];
          })
          // Attempts overlap: order them by when each ended.
          .sort((a, b) => a.at - b.at),
      ),
    ),
  );
}

/** Time a warm `pg_ctl promote -w` of a scratch standby of db-b's primary (made, promoted, removed on db-b). */
async function manualPromote(lab: Lab, log: (line: string) => void): Promise<number | null> {
  const bin = lab.postgres.bin;
  const dir = '/tmp/lifeboat-bench-standby';
  const port = 5499;
  const asPg = (...argv: string[]) =>
    lab.exec('db-b', ['runuser', '-u', 'postgres', '--', ...argv], { timeoutMs: 60_000 });
  await lab.exec('db-b', ['rm', '-rf', dir]);
  try {
    const base = await asPg(
      `${bin}/pg_basebackup`,
      '-h',
      '127.0.0.1',
      '-p',
      String(lab.postgres.port),
      '-U',
      lab.postgres.replicationUser,
      '-D',
      dir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    );
    if (base.code !== 0) throw new Error(`pg_basebackup: ${base.stderr.trim()}`);
    // Debian keeps the configuration outside the data directory: give the copy its own, minimal.
    const conf = await asPg(
      'sh',
      '-c',
      `: > ${dir}/postgresql.conf && : > ${dir}/pg_ident.conf && echo 'local all all trust' > ${dir}/pg_hba.conf`,
    );
    if (conf.code !== 0) throw new Error(`scratch configuration: ${conf.stderr.trim()}`);
    const started = await asPg(
      `${bin}/pg_ctl`,
      '-D',
      dir,
      '-o',
      `-p ${port} -k /tmp -c hot_standby=on`,
      '-l',
      `${dir}.log`,
      '-w',
      '-t',
      '60',
      'start',
    );
    if (started.code !== 0) throw new Error(`scratch standby did not start: ${started.stderr.trim()}`);
    // Warm: it is streaming before the clock starts.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const r = await asPg(
        `${bin}/psql`,
        '-X',
        '-A',
        '-t',
        '-h',
        '/tmp',
        '-p',
        String(port),
        '-d',
        'postgres',
        '-c',
        'select status from pg_stat_wal_receiver',
      );
      if (r.stdout.trim() === 'streaming') break;
      await sleep(100);
    }
    const t0 = performance.now();
    const promoted = await asPg(`${bin}/pg_ctl`, '-D', dir, '-w', '-t', '60', 'promote');
    const ms = Math.round(performance.now() - t0);
    if (promoted.code !== 0) throw new Error(`pg_ctl promote: ${promoted.stderr.trim()}`);
    return ms;
  } catch (error) {
    log(`manual warm pg_ctl promote: not measured (${(error as Error).message})`);
    return null;
  } finally {
    await asPg(`${bin}/pg_ctl`, '-D', dir, '-m', 'immediate', 'stop');
    await lab.exec('db-b', ['rm', '-rf', dir, `${dir}.log`]);
  }
}

/** Fail the db group over with the default runbook under writes; print the PostgreSQL lines. Returns the figure (ms) or null. */
export async function postgresFailoverBench(lab: Lab, log: (line: string) => void): Promise<number | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-pg-'));
  const app = openApp(path.join(dir, 'workspace.db'), () => undefined);
  try {
    const call = async <T>(method: string, payload: unknown): Promise<T> => {
      const envelope = await app.dispatcher.dispatch(method, payload);
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
      return envelope.value as T;
    };
    const plan = PlanDocument.parse(
      exampleCompany({ net: lab.network.cidr.split('.').slice(0, 3).join('.'), keyPath: lab.keyPath }),
    );
    await call('workspace.importPlan', { yaml: planToYaml(plan) });
    const snapshot = await call<Snapshot>('workspace.snapshot', {});
    const db = snapshot.groups.find((g) => g.name === 'db')!;
    for (const name of ['db-a', 'db-b'] as const) {
      const server = snapshot.servers.find((s) => s.name === name)!;
      const scan = await call<{ keyType: string; fingerprint: string }>('hosts.scanKey', { serverId: server.id });
      if (scan.fingerprint !== lab.hosts[name].hostKeyFingerprint) throw new Error(`${name}: unexpected host key`);
      await call('hosts.trust', { serverId: server.id, keyType: scan.keyType, fingerprint: scan.fingerprint });
    }
    const runner = createSshRunner(app.db, createSshRuntime(app.db));
    app.ctx.runner = runner;
    const deps = { db: app.db, runner, emit: () => undefined, runs: app.ctx.runs, actor: 'bench' };
    const target = snapshot.servers.find((s) => s.name === 'db-b')!.id;
    const created = await lab.psql(
      'db-a',
      'create table if not exists lifeboat_bench (n bigserial primary key, at timestamptz not null);',
      { database: lab.postgres.database },
    );
    if (created.code !== 0) throw new Error(`create table: ${created.stderr}`);
    // Warm the SSH connections with one dry run (the pre-flight), as an open console has them.
    await startRun(deps, { groupId: db.id, targetServerId: target, mode: 'dry-run', confirmation: '' });
    const writes = writer(lab, 14);
    await sleep(1500);
    const start = Date.now();
    const started = await startRun(deps, { groupId: db.id, targetServerId: target, mode: 'real', confirmation: 'db' });
    const status = await started.finished;
    const engineMs = Date.now() - start;
    const steps = started.runId
      ? viewRun(app.ctx, started.runId)
          .steps.map((s) => `${s.title} ${s.elapsedMs ?? '-'} ms`)
          .join(', ')
      : '';
    log(
      `PostgreSQL failover db-a → db-b, default runbook: ${status} ${started.refused ?? ''} in ${engineMs} ms (pre-flight ${started.preflight.durationMs} ms; ${steps})`,
    );
    const attempts = await writes;
    await runner.dispose();
    // The first write the new primary (db-b) took after the start; the last one db-a took before it.
    const firstNew = attempts.find((a) => a.at >= start && a.ok && a.host === 'db-b');
    const lastOld = [...attempts].reverse().find((a) => a.ok && a.host === 'db-a');
    const promote = await manualPromote(lab, log);
    const counts = `${attempts.length} attempts (${attempts.filter((a) => a.ok).length} accepted), one started every ${WRITE_EVERY_S * 1000} ms, each bounded by ${WRITE_ATTEMPT_S * 1000} ms`;
    if (status !== 'succeeded' || !firstNew) {
      log(
        `PostgreSQL failover: first write accepted — not measured (run ${status}; ${counts}; no write taken by db-b)`,
      );
      return null;
    }
    const n = firstNew.at - start;
    log(
      `PostgreSQL failover: first write accepted ${n} ms after the start (goal < 500 ms, the fence's checks included; db-a took its last write ${lastOld ? lastOld.at - start : '?'} ms after the start; ${counts})`,
    );
    // What writers feel: from the old primary's last accepted write to the new one's first. The
    // listening before the release (at least 1 s, docs/safety.md) comes before the outage, not in it.
    if (lastOld)
      log(
        `PostgreSQL failover: write outage ${firstNew.at - lastOld.at} ms (db-a's last accepted write → db-b's first)`,
      );
    log(
      `manual warm pg_ctl promote -w (a scratch standby, same run): ${promote === null ? 'not measured' : `${promote} ms`}`,
    );
    return n;
  } finally {
    app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
