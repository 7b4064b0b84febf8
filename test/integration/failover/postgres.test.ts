/**
 * PostgreSQL failover in the lab: every write acknowledged by the old primary is on the new one,
 * and the new one accepts writes. Promotion cannot be undone, so this file has the lab to itself.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import { viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import type { Runbook } from '../../../shared/runbooks';
import { holdersOf, openLabFailover, type LabFailover } from './lab-failover';

describeLab(
  'PostgreSQL failover in the lab',
  (lab: () => Lab) => {
    let w: LabFailover;
    beforeAll(async () => {
      w = await openLabFailover(lab());
    }, 60_000);
    afterAll(async () => {
      await w?.close();
    });

    it('fences db-a, promotes db-b, moves the VIP; every acknowledged write survives and writes succeed', async () => {
      const pg = lab().postgres;
      const created = await lab().psql('db-a', 'create table if not exists lifeboat_acked (n int primary key);', {
        database: pg.database,
      });
      expect(created.code, created.stderr).toBe(0);
      for (let n = 1; n <= 50; n++) {
        const insert = await lab().psql('db-a', `insert into lifeboat_acked values (${n});`, { database: pg.database });
        expect(insert.code, insert.stderr).toBe(0);
      }
      const group = w.group('db');
      // The DEFAULT runbook, no binDir: pg_ctl is found on each host (Debian keeps it off PATH).
      const runbook = await w.ws.ok<Runbook>('runbooks.generate', {
        groupId: group.id,
        targetServerId: w.serverId('db-b'),
      });
      const promote = runbook.steps.find((step) => step.type === 'action' && step.action.kind === 'postgres.promote');
      expect(
        promote?.type === 'action' && promote.action.kind === 'postgres.promote' && promote.action.params.binDir,
      ).toBe('');

      const started = await startRun(w.deps, {
        groupId: group.id,
        targetServerId: w.serverId('db-b'),
        mode: 'real',
        confirmation: 'db',
      });
      expect(started.refused).toBeNull();
      const status = await started.finished;
      expect(status, JSON.stringify(viewRun(w.deps, started.runId!).steps)).toBe('succeeded');
      const promoted = viewRun(w.deps, started.runId!).steps.find((s) => s.title.startsWith('Promote'));
      expect(promoted?.message).toMatch(/db-b is the primary: .*; db-a is still stopped/);

      expect((await lab().psql('db-b', 'select pg_is_in_recovery();')).stdout.trim()).toBe('f');
      expect(
        (
          await lab().psql('db-b', 'insert into lifeboat_acked values (51); select count(*) from lifeboat_acked;', {
            database: pg.database,
          })
        ).stdout.trim(),
      ).toBe('51');
      const old = await lab().psql('db-a', 'select 1;');
      expect(old.code).not.toBe(0);
      // Judged from outside too: pg_ctl on db-a says stopped (exit 3).
      const ctl = await lab().exec('db-a', [
        'runuser',
        '-u',
        'postgres',
        '--',
        `${pg.bin}/pg_ctl`,
        '-D',
        pg.dataDir,
        'status',
      ]);
      expect(ctl.code).toBe(3);
      expect(await holdersOf(lab(), lab().vips.db, ['db-a', 'db-b'])).toEqual(['db-b']);
    }, 120_000);

    it('refuses to promote db-b again: it is a primary now', async () => {
      const group = w.group('db');
      await w.ws.ok('runbooks.save', {
        groupId: group.id,
        direction: 'failover',
        sourceServerId: w.serverId('db-a'),
        targetServerId: w.serverId('db-b'),
        steps: [
          {
            type: 'action',
            title: 'promote',
            serverId: w.serverId('db-b'),
            action: {
              kind: 'postgres.promote',
              params: {
                dataDir: lab().postgres.dataDir,
                database: lab().postgres.database,
                binDir: lab().postgres.bin,
              },
            },
          },
        ],
      });
      const started = await startRun(w.deps, {
        groupId: group.id,
        targetServerId: w.serverId('db-b'),
        mode: 'drill',
        confirmation: 'db',
      });
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && viewRun(w.deps, started.runId!).waiting === null)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const view = viewRun(w.deps, started.runId!);
      expect(view.steps[0].status).toBe('refused');
      expect(view.steps[0].message).toMatch(/db-b is already a primary/);
      const { respondToRun } = await import('../../../electron/failover/engine');
      respondToRun(w.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'test done' });
      expect(await started.finished).toBe('aborted');
    }, 60_000);
  },
  { fresh: true },
);
