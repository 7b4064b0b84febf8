/**
 * The PostgreSQL fence and verification fail closed: pg_ctl not found or no cluster blocks the
 * pre-flight; only `pg_ctl status` exit 3 is "stopped"; the old primary is re-read after the
 * promotion; a timed-out pg_promote() or an internal error after a command was sent is
 * indeterminate; the final verification wants exactly one primary, and two is an alarm.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from './confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { fenceScript, findPostgresScript, psqlCommand } from '../../../electron/failover/actions/postgres-scripts';
import { PostgresPromoteParams } from '../../../shared/runbooks';
import { postgresFence } from '../../../shared/logic/runbook-defaults';
import type { EngineDeps } from '../../../electron/failover/engine';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

const sentTo = (host: string, what: string) => f.fake.calls.filter((c) => c.host === host && c.script.includes(what));
const dbRun = (deps: EngineDeps = f.deps, extra: Record<string, unknown> = {}) =>
  startRun(deps, {
    groupId: f.groups.db.id,
    targetServerId: f.servers['db-b'].id,
    mode: 'real',
    confirmation: 'db',
    ...extra,
  });

/** Run the default db runbook until it ends or halts. */
async function settle(started: Awaited<ReturnType<typeof dbRun>>) {
  await until(
    () => viewRun(f.deps, started.runId!).waiting !== null || viewRun(f.deps, started.runId!).status !== 'running',
  );
  return viewRun(f.deps, started.runId!);
}

describe('scripts', () => {
  const params = PostgresPromoteParams.parse({ dataDir: '/srv/pgdata', database: 'crm' });

  it('find the cluster and a pg_ctl of its version, never trusting PATH alone', () => {
    const script = findPostgresScript(params);
    expect(script).toContain("pgv=$(cat -- '/srv/pgdata/PG_VERSION' 2>/dev/null | head -n 1)");
    expect(script).toContain(
      `if [ -n "$pgv" ]; then pgtry $(pg_config --bindir 2>/dev/null) || pgtry $(pg_lsclusters -h 2>/dev/null | awk -v d='/srv/pgdata' '$6 == d { print "/usr/lib/postgresql/" $1 "/bin" }') || pgtry /usr/lib/postgresql/*/bin /usr/local/pgsql/bin || pgtry $(command -v pg_ctl 2>/dev/null | sed 's,/[^/]*$,,'); fi`,
    );
    expect(script).toContain(
      `case "$("$c/pg_ctl" --version 2>/dev/null)" in *") $pgv"|*") $pgv."*|*") $pgv "*) pgbin=$c; return 0 ;; esac`,
    );
    // A given binDir is the only place looked in.
    expect(findPostgresScript({ ...params, binDir: '/opt/pg/bin/' })).toContain(
      `if [ -n "$pgv" ]; then pgtry '/opt/pg/bin'; fi`,
    );
  });

  it('connect the way the data says: socket directory or host', () => {
    expect(psqlCommand('linux', { ...params, socketDir: '/tmp/pgsock' }, ['select 1'])).toContain(
      "-h '/tmp/pgsock' -p '5432' -d 'crm' -c 'select 1'",
    );
    expect(psqlCommand('linux', { ...params, host: '10.77.0.21', socketDir: '/tmp/pgsock' }, ['select 1'])).toContain(
      "-h '10.77.0.21' -p '5432'",
    );
    expect(psqlCommand('linux', params, ['select 1'])).toContain(
      "runuser -u 'postgres' -- \"$pgbin/psql\" -X -A -t -q -p '5432'",
    );
    expect(psqlCommand('openbsd', params, ['select 1'])).toMatch(
      /^su -s \/bin\/sh 'postgres' -c "\$pgbin\/psql"' -X -A -t -q/,
    );
  });

  it("the default runbook fences through the group's PostgreSQL unit when it has one, else with pg_ctl", () => {
    expect(postgresFence(['postgresql@15-main'])).toEqual({ kind: 'service', unit: 'postgresql@15-main' });
    expect(postgresFence(['nginx', 'postgresql'])).toEqual({ kind: 'service', unit: 'postgresql' });
    expect(postgresFence(['postgres_exporter', 'postgresql-exporter'])).toEqual({ kind: 'pg_ctl' });
    expect(postgresFence(['postgresql@15-main.service'])).toEqual({
      kind: 'service',
      unit: 'postgresql@15-main.service',
    });
    expect(postgresFence(['pgbouncer', 'nginx'])).toEqual({ kind: 'pg_ctl' });
    expect(postgresFence([])).toEqual({ kind: 'pg_ctl' });
  });

  it('the fence ends with the exit status of pg_ctl status, whatever the way it stops', () => {
    const byCtl = fenceScript('linux', params).split('\n');
    expect(byCtl.at(-2)).toBe(
      `if runuser -u 'postgres' -- "$pgbin/pg_ctl" -D '/srv/pgdata' status >/dev/null 2>&1; then runuser -u 'postgres' -- "$pgbin/pg_ctl" -D '/srv/pgdata' -m fast -w -t 60 stop; fi`,
    );
    expect(byCtl.at(-1)).toBe(
      `runuser -u 'postgres' -- "$pgbin/pg_ctl" -D '/srv/pgdata' status >/dev/null 2>&1; echo "lifeboat: pg_ctl status $?"`,
    );
    const byUnit = fenceScript('linux', { ...params, fence: { kind: 'service', unit: 'postgresql@15-main' } }).split(
      '\n',
    );
    expect(byUnit.at(-2)).toBe("systemctl stop -- 'postgresql@15-main'");
  });
});

describe('pre-flight of a PostgreSQL group', () => {
  it('pg_ctl found nowhere on the old primary: refused, nothing stopped, promoted or moved', async () => {
    f.fake.hosts.get('db-a')!.faults = { pg: 'missing' };
    const started = await dbRun();
    expect(started.refused).toMatch(
      /PostgreSQL on db-a: db-a: no pg_ctl of version 15 in pg_config --bindir, pg_lsclusters/,
    );
    expect(f.fake.hosts.get('db-a')!.postgres).toMatchObject({ running: true, inRecovery: false });
    expect(f.fake.hosts.get('db-b')!.postgres).toMatchObject({ running: true, inRecovery: true });
    expect(f.fake.holders('10.77.0.20')).toEqual(['db-a']);
    expect(f.fake.calls.every((c) => c.script.startsWith("echo '--- lifeboat: begin os'"))).toBe(true);
  });

  it('a data directory without a cluster: refused, naming it', async () => {
    f.fake.hosts.get('db-b')!.faults = { cluster: 'missing' };
    const started = await dbRun();
    expect(started.refused).toMatch(/db-b: \/srv\/pgdata holds no PostgreSQL cluster \(no PG_VERSION\)/);
    expect(f.fake.calls.every((c) => c.script.startsWith("echo '--- lifeboat: begin os'"))).toBe(true);
  });

  it('an old primary proven stopped (pg_ctl status 3) is not unknown; a target that is stopped cannot be promoted', async () => {
    f.fake.hosts.get('db-b')!.postgres!.running = false;
    const started = await dbRun();
    expect(started.refused).toMatch(/PostgreSQL on db-b is stopped: start it as a standby first/);
  });
});

describe('the fence and the promotion', () => {
  it('the default runbook: fenced (exit 3), promoted, the old primary re-read, one primary verified', async () => {
    const started = await dbRun();
    expect(started.refused).toBeNull();
    expect(await started.finished).toBe('succeeded');
    expect(f.fake.hosts.get('db-a')!.postgres!.running).toBe(false);
    expect(f.fake.hosts.get('db-b')!.postgres!.inRecovery).toBe(false);
    const steps = sentTo('db-a', 'lifeboat: pg_ctl status').filter((c) => c.script.startsWith('pgv='));
    const reread = steps.map((c) => (c.script.includes(' stop') ? 'fence' : 're-read'));
    expect(reread).toEqual(['fence', 're-read']);
    expect(viewRun(f.deps, started.runId!).steps.find((s) => s.title.startsWith('Promote'))?.message).toMatch(
      /db-a is still stopped/,
    );
  });

  it('pg_ctl status answering neither 0 nor 3 after the stop is unknown: not promoted, the run halts', async () => {
    f.fake.hosts.get('db-a')!.postgres!.ctlStatusAfterStop = 4;
    const view = await settle(await dbRun());
    const promote = view.steps.find((s) => s.title.startsWith('Promote'))!;
    expect(promote.status).toBe('indeterminate');
    expect(promote.message).toMatch(/the fence of db-a is not proven: pg_ctl status on db-a exited 4/);
    expect(sentTo('db-b', 'pg_promote')).toEqual([]);
    expect(view.waiting?.options).toEqual(['retry', 'skip', 'abort']);
  });

  it('the old primary running again after the promotion: TWO PRIMARIES, the run halts', async () => {
    f.fake.hosts.get('db-a')!.postgres!.restartsAfterStop = true;
    const view = await settle(await dbRun());
    const promote = view.steps.find((s) => s.title.startsWith('Promote'))!;
    expect(promote).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/TWO PRIMARIES: PostgreSQL on db-a is running again/),
    });
    expect(view.waiting).not.toBeNull();
  });

  it("the new primary's verification and the old primary's re-read go out together, and TWO PRIMARIES wins over a failed verification", async () => {
    f.fake.hosts.get('db-a')!.postgres!.restartsAfterStop = true;
    const isVerify = (script: string) => script.includes("'select pg_is_in_recovery()' -c 'select txid_current()'");
    const isReread = (host: string, script: string) =>
      host === 'db-a' &&
      script.startsWith('pgv=') &&
      script.includes('lifeboat: pg_ctl status') &&
      !/ stop/.test(script);
    let rereadSentWhileVerifying = false;
    const batch = f.fake.batch.bind(f.fake);
    f.fake.batch = async (server, scripts, options) => {
      if (!scripts.some(isVerify)) return batch(server, scripts, options);
      // Hold the verification's answer until the re-read has gone out (bounded: 2 s).
      for (let i = 0; i < 200 && !f.fake.calls.some((c) => isReread(c.host, c.script)); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      rereadSentWhileVerifying = f.fake.calls.some((c) => isReread(c.host, c.script));
      // The verification fails too: the old primary running again must still be the verdict.
      return scripts.map(() => ({
        kind: 'ok' as const,
        result: { code: 1, stdout: 't\n', stderr: '', truncated: false, durationMs: 1 },
      }));
    };
    const view = await settle(await dbRun());
    expect(rereadSentWhileVerifying).toBe(true);
    const promote = view.steps.find((s) => s.title.startsWith('Promote'))!;
    expect(promote).toMatchObject({ status: 'failed', message: expect.stringMatching(/TWO PRIMARIES/) });
  });

  it('a pg_promote() that timed out is indeterminate and re-read, not failed', async () => {
    f.fake.hosts.get('db-b')!.postgres!.promoteTimesOut = true;
    const view = await settle(await dbRun());
    const promote = view.steps.find((s) => s.title.startsWith('Promote'))!;
    expect(promote.status).toBe('indeterminate');
    expect(promote.message).toMatch(/pg_promote\(\) timed out \(it may still finish\)/);
    expect(promote.observed).toMatch(/^db-b is a standby/);
  });

  it('an internal error after a command was sent is indeterminate (re-read), not failed', async () => {
    const deps: EngineDeps = {
      ...f.deps,
      emit: (event, payload) => {
        const line = payload as { stream?: string; text?: string };
        if (event === 'run.output' && line.stream === 'info' && line.text?.startsWith('replay lag on'))
          throw new Error('the event sink broke');
        f.events.push({ event, payload });
      },
    };
    const view = await settle(await dbRun(deps));
    const promote = view.steps.find((s) => s.title.startsWith('Promote'))!;
    expect(promote.status).toBe('indeterminate');
    expect(promote.message).toMatch(/internal error after 1 command\(s\) were sent: the event sink broke/);
    expect(promote.observed).toMatch(/db-b is a standby/);
  });
});

describe('final verification', () => {
  it('two primaries at the end: an alarm, audited, and the run fails', async () => {
    // A runbook that promotes without fencing (fence: none) leaves db-a a primary.
    const runbook = await f.ws.ok<{
      steps: { type: string; action?: { kind: string; params: Record<string, unknown> } }[];
    }>('runbooks.generate', { groupId: f.groups.db.id, targetServerId: f.servers['db-b'].id });
    for (const step of runbook.steps)
      if (step.action?.kind === 'postgres.promote') step.action.params.fence = { kind: 'none' };
    await f.ws.ok('runbooks.save', {
      groupId: f.groups.db.id,
      direction: 'failover',
      sourceServerId: f.servers['db-a'].id,
      targetServerId: f.servers['db-b'].id,
      steps: runbook.steps,
    });
    const started = await dbRun();
    expect(await started.finished).toBe('failed');
    const view = viewRun(f.deps, started.runId!);
    expect(view.summary).toMatch(/TWO PRIMARIES: PostgreSQL on db-a and db-b is out of recovery/);
    expect(
      listAuditRows(f.ws.db, { runId: started.runId!, limit: 500 }).some(
        (r) => r.kind === 'alarm' && /TWO PRIMARIES/.test(r.detail),
      ),
    ).toBe(true);
  });

  it('a member whose PostgreSQL cannot be read at the end is not counted as "not a primary"', async () => {
    const started = await dbRun();
    // db-a's pg_ctl disappears after the fence (before the final read).
    f.fake.override((host, script) => {
      if (
        host === 'db-a' &&
        script.startsWith("echo '--- lifeboat: begin os'") &&
        sentTo('db-b', 'pg_promote').length > 0
      ) {
        f.fake.hosts.get('db-a')!.faults = { pg: 'missing' };
      }
      return undefined;
    });
    expect(await started.finished).toBe('failed');
    expect(viewRun(f.deps, started.runId!).summary).toMatch(
      /db-b is the PostgreSQL primary, but whether another member is one too is unknown \(not proven on db-a: no pg_ctl of version 15/,
    );
  });
});

it('responding keeps working after a halted fence (abort ends the run)', async () => {
  f.fake.hosts.get('db-a')!.postgres!.ctlStatusAfterStop = 1;
  const started = await dbRun();
  const view = await settle(started);
  const index = view.steps.findIndex((s) => s.title.startsWith('Promote'));
  respondToRun(f.deps, { runId: started.runId!, stepIndex: index, action: 'abort', reason: 'test done' });
  expect(await started.finished).toBe('aborted');
  expect(f.fake.hosts.get('db-b')!.postgres!.inRecovery).toBe(true);
});
