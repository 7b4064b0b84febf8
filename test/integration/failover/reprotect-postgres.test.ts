/**
 * PostgreSQL round trip in the lab, judged from outside: a client on the client host writes
 * through the db VIP the whole time and records each write PostgreSQL acknowledged; fail over
 * db-a → db-b, re-protect db-a as a standby of db-b, switch back, re-protect db-b. After each
 * phase every acknowledged write is on the primary, and at the end the lab is as it started:
 * db-a the primary holding the VIP, db-b streaming from it. Prints how long each re-protect took.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import { startRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed } from '../../unit/failover/confirmed';
import type { GroupState, ReprotectPreview } from '../../../shared/contract/reprotect';
import type { RunOutput } from '../../../shared/contract/failover';
import { holdersOf, openLabFailover, type LabFailover } from './lab-failover';

const TABLE = 'lifeboat_reprotect_acked';

describeLab('PostgreSQL round trip: fail over, re-protect, switch back', (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
  }, 60_000);
  afterAll(async () => {
    await lab()
      .exec('client', ['touch', '/tmp/lifeboat-writer-stop'])
      .catch(() => undefined);
    await w?.close();
  });

  /** Every value the client saw acknowledged so far (read before the table, so each must be there). */
  const acked = async (): Promise<number[]> =>
    (lab().readFile('client', '/tmp/lifeboat-acked') ?? '')
      .split('\n')
      .filter((l) => /^[0-9]+$/.test(l))
      .map(Number);
  const rowsOn = async (host: 'db-a' | 'db-b'): Promise<Set<number>> => {
    const result = await lab().psql(host, `select n from ${TABLE};`, { database: lab().postgres.database });
    expect(result.code, result.stderr).toBe(0);
    return new Set(result.stdout.split('\n').filter(Boolean).map(Number));
  };
  const allAckedOn = async (host: 'db-a' | 'db-b', phase: string) => {
    const seen = await acked();
    const rows = await rowsOn(host);
    const missing = seen.filter((n) => !rows.has(n));
    expect(missing, `${phase}: acknowledged writes missing on ${host}`).toEqual([]);
    return seen.length;
  };
  const inRecovery = async (host: 'db-a' | 'db-b') =>
    (await lab().psql(host, 'select pg_is_in_recovery();')).stdout.trim();
  const streamingTo = async (primary: 'db-a' | 'db-b') =>
    (await lab().psql(primary, "select application_name from pg_stat_replication where state = 'streaming';")).stdout
      .trim()
      .split('\n')
      .filter(Boolean);

  async function move(target: 'db-a' | 'db-b'): Promise<void> {
    const started = await startConfirmed(w.deps, {
      groupId: w.group('db').id,
      targetServerId: w.serverId(target),
      mode: 'real',
      confirmation: 'db',
    });
    expect(started.refused).toBeNull();
    const status = await started.finished;
    expect(status, JSON.stringify(viewRun(w.deps, started.runId!).steps)).toBe('succeeded');
  }

  async function reprotect(rebuilt: 'db-a' | 'db-b'): Promise<{ ms: number; method: string }> {
    const groupId = w.group('db').id;
    const { plan } = await w.ws.ok<ReprotectPreview>('reprotect.plan', { groupId });
    expect(plan.direction).toBe('reprotect');
    expect(plan.targetServerId).toBe(w.serverId(rebuilt));
    const began = Date.now();
    const started = await startRun(w.deps, {
      groupId,
      targetServerId: plan.targetServerId,
      mode: 'real',
      purpose: 'reprotect',
      confirmation: 'db',
      planHash: plan.planHash,
    });
    expect(started.refused).toBeNull();
    const status = await started.finished;
    const ms = Date.now() - began;
    const view = viewRun(w.deps, started.runId!);
    expect(status, JSON.stringify(view.steps)).toBe('succeeded');
    const method = /with (pg_rewind|pg_basebackup)/.exec(view.steps[0].message)?.[1] ?? '?';
    // The choice is said either way (why pg_rewind may be used, or why not).
    const said = w.events
      .filter((e) => e.event === 'run.output')
      .map((e) => e.payload as RunOutput)
      .filter((o) => o.runId === started.runId && o.stream === 'info')
      .map((o) => o.text);
    expect(said.some((t) => /pg_rewind/.test(t))).toBe(true);
    return { ms, method };
  }

  it('every acknowledged write survives the whole round trip, and the lab ends as it started', async () => {
    const pg = lab().postgres;
    const vip = lab().vips.db;
    const setup = await lab().psql(
      'db-a',
      `drop table if exists ${TABLE}; create table ${TABLE} (n int primary key);`,
      {
        database: pg.database,
      },
    );
    expect(setup.code, setup.stderr).toBe(0);
    await lab().exec('client', ['rm', '-f', '/tmp/lifeboat-acked', '/tmp/lifeboat-writer-stop']);
    // The client writes through the VIP until told to stop (bounded: 20 000 writes, 10 minutes).
    const writer = lab().exec(
      'client',
      [
        '/bin/sh',
        '-c',
        `n=1; while [ ! -e /tmp/lifeboat-writer-stop ] && [ $n -le 20000 ]; do
           if PGCONNECT_TIMEOUT=2 psql -X -q -h ${vip} -U postgres -d ${pg.database} -c "insert into ${TABLE} values ($n)" >/dev/null 2>&1; then echo $n >> /tmp/lifeboat-acked; fi
           n=$((n+1)); sleep 0.05; done`,
      ],
      { timeoutMs: 600_000 },
    );
    const waitForWrites = async (more: number) => {
      const start = (await acked()).length;
      const deadline = Date.now() + 20_000;
      while ((await acked()).length < start + more && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await acked()).length, 'the client writes through the VIP').toBeGreaterThanOrEqual(start + more);
    };
    await waitForWrites(5);

    await move('db-b');
    expect(await inRecovery('db-b')).toBe('f');
    await waitForWrites(5);
    await allAckedOn('db-b', 'after the failover');
    const [afterFailover] = await w.ws.ok<GroupState[]>('groups.state');
    expect(afterFailover).toMatchObject({ primaryServerId: w.serverId('db-b'), redundancy: 'without-redundancy' });

    const first = await reprotect('db-a');
    expect(await inRecovery('db-a')).toBe('t');
    expect(await streamingTo('db-b')).toContain('db-a');
    await waitForWrites(5);
    await allAckedOn('db-b', 'after re-protecting db-a');
    const [afterReprotect] = await w.ws.ok<GroupState[]>('groups.state');
    expect(afterReprotect).toMatchObject({ primaryServerId: w.serverId('db-b'), redundancy: 'redundant' });

    await move('db-a');
    expect(await inRecovery('db-a')).toBe('f');
    await waitForWrites(5);
    await allAckedOn('db-a', 'after the switchback');

    const second = await reprotect('db-b');
    await waitForWrites(5);
    await lab().exec('client', ['touch', '/tmp/lifeboat-writer-stop']);
    const done = await writer;
    expect(done.code, done.stderr).toBe(0);
    const total = await allAckedOn('db-a', 'at the end');
    // db-b replays everything db-a has: wait (bounded) until it has caught up, then compare.
    const deadline = Date.now() + 15_000;
    while ((await rowsOn('db-b')).size < total && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await allAckedOn('db-b', 'on the standby at the end');

    // As it started: db-a primary with the VIP, db-b a streaming standby of it, both units active.
    expect(await inRecovery('db-a')).toBe('f');
    expect(await inRecovery('db-b')).toBe('t');
    expect(await streamingTo('db-a')).toContain('db-b');
    expect(await holdersOf(lab(), vip, ['db-a', 'db-b'])).toEqual(['db-a']);
    for (const host of ['db-a', 'db-b'] as const)
      expect((await lab().exec(host, ['systemctl', 'is-active', '--', pg.unit])).stdout.trim()).toBe('active');
    const [atEnd] = await w.ws.ok<GroupState[]>('groups.state');
    expect(atEnd).toMatchObject({ primaryServerId: w.serverId('db-a'), redundancy: 'redundant' });
    console.log(
      `[reprotect] ${total} acknowledged writes through ${vip}, all present; re-protect db-a: ${(first.ms / 1000).toFixed(1)} s (${first.method}); re-protect db-b: ${(second.ms / 1000).toFixed(1)} s (${second.method})`,
    );
  }, 600_000);
});
