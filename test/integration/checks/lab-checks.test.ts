/**
 * Health checks against the lab's real hosts over the real SSH engine: VIP ownership (and the
 * two-holder alarm), PostgreSQL roles and replication lag, and a whole default sweep. Skips with
 * the reason where the lab cannot run; fails under LIFEBOAT_REQUIRE_LAB=1.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Alert, Check, CheckView } from '../../../shared/checks';
import type { NamedResult } from '../../../shared/contract/checks';
import { CheckScheduler } from '../../../electron/checks/scheduler';
import { describeLab } from '../../helpers/lab';
import { openLabWorkspace, type LabWorkspace } from './lab-workspace';

describeLab('health checks against the lab', (lab) => {
  let session: LabWorkspace;
  let checks: Check[];
  const named = (name: string) => checks.find((c) => c.name === name)!;
  const runNow = (names: string[]) =>
    session.ws.ok<NamedResult[]>('checks.runNow', { checkIds: names.map((n) => named(n).id) });

  beforeAll(async () => {
    session = await openLabWorkspace(lab());
    await session.ws.ok('checks.generateDefaults', {});
    checks = (await session.ws.ok<CheckView[]>('checks.list', {})).map((v) => v.check);
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });

  it('reports the web VIP held by web-a', async () => {
    const [vip] = await runNow(['web: VIP ownership']);
    expect(vip).toMatchObject({ status: 'ok' });
    expect(vip.summary).toBe(`${lab().vips.web} on web-a (eth0)`);
  });

  it('raises the two-holders alarm at once when web-b also holds the VIP, and clears when it is removed', async () => {
    const alerts: Alert[] = [];
    const scheduler = new CheckScheduler({
      db: session.ws.db,
      runner: () => session.runner,
      emit: (event, payload) => event === 'alerts.raised' && alerts.push(payload as Alert),
    });
    const vipAddress = `${lab().vips.web}/32`;
    const added = await lab().exec('web-b', ['ip', 'addr', 'add', vipAddress, 'dev', 'eth0']);
    expect(added.code, added.stderr).toBe(0);
    try {
      const [twice] = await scheduler.runNow({ checkIds: [named('web: VIP ownership').id] });
      expect(twice.status).toBe('fail');
      expect(twice.summary).toContain('two holders');
      expect(twice.summary).toContain('web-a and web-b');
      expect(alerts.map((a) => a.kind)).toEqual(['down']);
      expect(alerts[0].title).toMatch(/^CRM \(critical\) down for 0 of its 30 minutes$/);
    } finally {
      const removed = await lab().exec('web-b', ['ip', 'addr', 'del', vipAddress, 'dev', 'eth0']);
      expect(removed.code, removed.stderr).toBe(0);
    }
    const [again] = await scheduler.runNow({ checkIds: [named('web: VIP ownership').id] });
    expect(again.status).toBe('ok');
    expect(alerts.map((a) => a.kind)).toEqual(['down', 'recovered']);
    await scheduler.dispose();
  });

  it('reports no holder when the web VIP is on neither member, and the owner again once it is restored', async () => {
    const vip = lab().vips.web;
    const listed = await lab().exec('web-a', ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
    // The VIP exactly as web-a holds it (address and prefix), so it can be put back as it was.
    const held = new RegExp(`inet (${vip.replace(/\./g, '\\.')}/[0-9]+) `).exec(listed.stdout)?.[1];
    expect(held, listed.stdout).toBeDefined();
    for (const member of ['web-a', 'web-b'] as const) {
      const shown = await lab().exec(member, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
      expect(shown.stdout.includes(`inet ${vip}/`), `${member} before`).toBe(member === 'web-a');
    }
    const removed = await lab().exec('web-a', ['ip', 'addr', 'del', held!, 'dev', 'eth0']);
    expect(removed.code, removed.stderr).toBe(0);
    try {
      const [none] = await runNow(['web: VIP ownership']);
      expect(none.status).toBe('fail');
      expect(none.summary).toBe(`${vip} is held by no member (none holds it)`);
      expect(none.metrics).toMatchObject({ maxHolders: 0, minHolders: 0 });
    } finally {
      const restored = await lab().exec('web-a', ['ip', 'addr', 'add', held!, 'dev', 'eth0']);
      expect(restored.code, restored.stderr).toBe(0);
    }
    const [back] = await runNow(['web: VIP ownership']);
    expect(back).toMatchObject({ status: 'ok', summary: `${vip} on web-a (eth0)` });
  });

  it('reports the database roles and the replication lag of db-b', async () => {
    await lab().psql(
      'db-a',
      'CREATE TABLE IF NOT EXISTS lifeboat_lag_probe (at timestamptz); INSERT INTO lifeboat_lag_probe VALUES (now());',
      { database: lab().postgres.database },
    );
    // The replay lag in seconds exists once db-b has replayed a transaction: wait (bounded) for that.
    for (let i = 0; i < 50; i++) {
      const replayed = await lab().psql('db-b', 'SELECT pg_last_xact_replay_timestamp() IS NOT NULL');
      if (replayed.stdout.trim() === 't') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [pg] = await runNow(['db: PostgreSQL roles and lag']);
    console.log(pg.summary);
    expect(pg.metrics).toMatchObject({ primary: ['db-a'], standbys: ['db-b'] });
    expect(typeof pg.metrics.lagBytes).toBe('number');
    expect(typeof pg.metrics.lagSeconds).toBe('number');
    expect(pg.summary).toMatch(
      /^db-a is the primary; db-b standby, lag [0-9.]+ (B|KiB|MiB) \/ [0-9.]+ s.*\(RPO 5 min\)$/,
    );
    expect(['ok', 'warn']).toContain(pg.status);
    await lab().psql('db-a', 'DROP TABLE IF EXISTS lifeboat_lag_probe;', { database: lab().postgres.database });
  });

  it("reads each group's units through systemd: ok on the healthy lab, fail on a member whose unit was stopped", async () => {
    const services = checks.filter((c) => c.kind === 'service');
    expect(services.map((c) => c.name).sort()).toEqual([
      'db: postgresql@15-main running',
      'files: fileshare running',
      'gw: gateway running',
      'web: crm running',
      'web: nginx running',
    ]);
    for (const r of await runNow(services.map((c) => c.name))) {
      expect(r.status, `${r.name}: ${r.summary}`).toBe('ok');
      expect(r.summary).toContain('runs on');
    }
    const webB = session.snapshot.servers.find((s) => s.name === 'web-b')!;
    const own = await session.ws.ok<Check>('checks.save', {
      kind: 'service',
      name: 'web-b: nginx',
      serverId: webB.id,
      params: { unit: 'nginx' },
    });
    checks.push(own);
    expect((await runNow(['web-b: nginx']))[0]).toMatchObject({
      status: 'ok',
      summary: 'nginx is active (systemd) on web-b',
    });
    const stopped = await lab().exec('web-b', ['systemctl', 'stop', 'nginx']);
    expect(stopped.code, stopped.stderr).toBe(0);
    try {
      // Judged from outside too: the unit is inactive as the host's own systemd sees it.
      expect((await lab().exec('web-b', ['systemctl', 'is-active', 'nginx'])).stdout.trim()).toBe('inactive');
      expect((await runNow(['web-b: nginx']))[0]).toMatchObject({
        status: 'fail',
        summary: 'nginx is not running on web-b: inactive (systemd)',
      });
      expect((await runNow(['web: nginx running']))[0]).toMatchObject({
        status: 'ok',
        summary: 'nginx runs on web-a (not on web-b)',
      });
    } finally {
      const started = await lab().exec('web-b', ['systemctl', 'start', 'nginx']);
      expect(started.code, started.stderr).toBe(0);
    }
    expect((await runNow(['web-b: nginx']))[0].status).toBe('ok');
  });

  it('sweeps every default check on every host: each host answers', async () => {
    const results = await session.ws.ok<NamedResult[]>('checks.runNow', {});
    expect(results.length).toBe(checks.length);
    // Every host answers: ssh is ok and disk and load are read (their levels depend on the machine).
    // A cold sweep includes every login, so on a busy machine a host may answer slower than the warn level: reachable is what counts here.
    for (const r of results.filter((r) => r.kind === 'ssh')) {
      expect(r.metrics.reachable, `${r.name}: ${r.summary}`).toBe(true);
      expect(['ok', 'warn'], `${r.name}: ${r.summary}`).toContain(r.status);
    }
    for (const r of results.filter((r) => r.kind === 'disk' || r.kind === 'load'))
      expect(r.status, `${r.name}: ${r.summary}`).not.toBe('unknown');
    console.log(results.map((r) => `${r.status.padEnd(8)}${r.name.padEnd(40)}${r.summary}`).join('\n'));
  });
});
