/**
 * The PostgreSQL group fails over with its default runbook, unchanged, on Debian's packaging:
 * pg_ctl is not on PATH, the cluster runs under postgresql@15-main. Judged from outside: systemctl
 * and psql in the hosts, ip addr on both members, the audit log. Promotion cannot be undone, so the
 * lab is not pristine afterwards (the next file gets a fresh one).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { viewRun } from '../../../electron/failover/engine';
import { describeLab, type Lab } from '../../helpers/lab';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { defaultSteps, holdersOf, openLabFailover, type LabFailover } from './lab-failover';

describeLab("PostgreSQL failover with the default runbook on Debian's packaging", (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('fences db-a through its unit, promotes db-b, moves the VIP, and db-b takes writes', async () => {
    const pg = lab().postgres;
    const command = await lab().exec('db-a', 'command -v pg_ctl || echo not-on-path');
    expect(command.stdout.trim()).toBe('not-on-path');
    const created = await lab().psql(
      'db-a',
      'create table if not exists lifeboat_debian (n int primary key); insert into lifeboat_debian values (1);',
      { database: pg.database },
    );
    expect(created.code, created.stderr).toBe(0);
    // The runbook as generated: nothing in it names the lab's bin directory.
    const steps = await defaultSteps(w, 'db', 'db-b');
    expect(JSON.stringify(steps)).not.toContain(pg.bin);

    const started = await startRun(w.deps, {
      groupId: w.group('db').id,
      targetServerId: w.serverId('db-b'),
      mode: 'real',
      confirmation: 'db',
    });
    expect(started.refused).toBeNull();
    const status = await started.finished;
    const view = viewRun(w.deps, started.runId!);
    expect(
      status,
      JSON.stringify(
        view.steps.map((s) => `${s.title}: ${s.status}: ${s.message}`),
        null,
        1,
      ),
    ).toBe('succeeded');

    // db-a is fenced through its real unit: inactive, and its server gone.
    const unit = await lab().exec('db-a', ['systemctl', 'is-active', pg.unit]);
    expect(unit.stdout.trim()).not.toBe('active');
    expect((await lab().psql('db-a', 'select 1;')).code).not.toBe(0);
    // db-b is the primary, still under its unit, and takes writes.
    expect((await lab().exec('db-b', ['systemctl', 'is-active', pg.unit])).stdout.trim()).toBe('active');
    expect((await lab().psql('db-b', 'select pg_is_in_recovery();')).stdout.trim()).toBe('f');
    const write = await lab().psql(
      'db-b',
      'insert into lifeboat_debian values (2); select count(*) from lifeboat_debian;',
      { database: pg.database },
    );
    expect(write.stdout.trim()).toBe('2');
    expect(await holdersOf(lab(), lab().vips.db, ['db-a', 'db-b'])).toEqual(['db-b']);
    const rows = listAuditRows(w.ws.db, { runId: started.runId!, limit: 1000 });
    expect(rows.filter((r) => r.kind === 'intent').length).toBe(rows.filter((r) => r.kind === 'outcome').length);
  }, 150_000);
});
