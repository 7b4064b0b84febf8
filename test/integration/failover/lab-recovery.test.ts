/**
 * The whole example company recovered in one run on the lab, judged from outside: `ip addr` on
 * every member, systemctl in the hosts, psql on the new primary, writes through the db VIP from
 * the client. First a halt in db: the groups that need it change nothing, the others finish; then
 * (the lab put back) the whole company. The promotion cannot be undone: the lab is not pristine
 * afterwards (the next file gets a fresh one).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import type { Runbook } from '../../../shared/runbooks';
import type { RecoveryView } from '../../../shared/contract/recovery';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { describeLab, type Lab } from '../../helpers/lab';
import type { HostName } from '../../lab/lab';
import { holdersOf, openLabFailover, placeVip, type LabFailover } from './lab-failover';
import { recoverInOneRun, saveLabFilesRunbook } from './recovery-lab';
import { dbWriter } from './bench/probes';

const PAIRS = ['gw', 'db', 'web', 'files'] as const;
const group = (view: RecoveryView, name: string) => view.groups.find((g) => g.groupName === name)!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function activeUnits(lab: Lab, host: HostName): Promise<string[]> {
  const active: string[] = [];
  for (const unit of lab.hosts[host].units)
    if ((await lab.exec(host, ['systemctl', 'is-active', unit])).stdout.trim() === 'active') active.push(unit);
  return active;
}

/** The db group's default runbook with a first step that fails: a halt in db before it changes anything. */
async function haltingDbRunbook(w: LabFailover, fail: boolean): Promise<void> {
  const key = { groupId: w.group('db').id, targetServerId: w.serverId('db-b') };
  const generated = await w.ws.ok<Runbook>('runbooks.generate', key);
  const halt = {
    type: 'action' as const,
    title: 'The database team says go',
    serverId: w.serverId('db-b'),
    timeoutSeconds: 20,
    whenUnreachable: 'halt' as const,
    action: { kind: 'command.run' as const, params: { script: 'exit 3', expectedExitCodes: [0] } },
  };
  await w.ws.ok('runbooks.save', {
    ...key,
    direction: generated.direction,
    sourceServerId: generated.sourceServerId,
    steps: fail ? [halt, ...generated.steps] : generated.steps,
  });
}

describeLab('recovering the whole example company in one run', (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
    await saveLabFilesRunbook(w, lab());
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('a halt in db holds web (it needs db) and changes nothing there; gw, files and the phones finish', async () => {
    await haltingDbRunbook(w, true);
    let latest: RecoveryView | null = null;
    const running = recoverInOneRun(w, { onView: (v) => (latest = v) });
    // db halts on its first step and asks; the unrelated groups must finish meanwhile (bounded wait).
    const othersDone = (v: RecoveryView) => ['gw', 'files', 'pbx'].every((n) => group(v, n).state === 'succeeded');
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && !(latest && group(latest, 'db').waiting && othersDone(latest))) await sleep(50);
    const seen = latest as RecoveryView | null;
    const states = Object.fromEntries((seen?.groups ?? []).map((g) => [g.groupName, g.state]));
    const steps = (seen?.groups ?? []).map(
      (g) =>
        `${g.groupName}: ${g.detail} ${g.runId === null ? '' : JSON.stringify(viewRun(w.ws.ctx, g.runId).steps.map((s) => `${s.title}: ${s.status} ${s.message}`))}`,
    );
    // End every run that waits (db's halt first), so the recovery ends whatever happened.
    for (let i = 0; i < 20 && seen; i++) {
      const waiting = (latest as RecoveryView | null)?.groups.filter((g) => g.waiting && g.runId !== null) ?? [];
      if (waiting.length === 0 && i > 0) break;
      for (const g of waiting)
        try {
          respondToRun(w.ws.ctx, {
            runId: g.runId!,
            stepIndex: g.waiting!.stepIndex,
            action: 'abort',
            reason: 'lab test: halted',
          });
        } catch {
          // answered meanwhile
        }
      await sleep(100);
    }
    const view = await running;
    expect(states, steps.join('\n')).toEqual({
      gw: 'succeeded',
      db: 'running',
      pbx: 'succeeded',
      web: 'waiting',
      files: 'succeeded',
    });
    expect(group(view, 'db').state).toBe('aborted');
    expect(group(view, 'web').state).toBe('held');
    expect(group(view, 'web').detail).toMatch(/changed nothing: db did not come back/);
    expect(view.status).toBe('failed');
    // From outside: web and db never moved, their units still run where they ran; gw and files moved.
    expect(await holdersOf(lab(), lab().vips.web, ['web-a', 'web-b'])).toEqual(['web-a']);
    expect(await activeUnits(lab(), 'web-a')).toEqual(lab().hosts['web-a'].units);
    expect(await holdersOf(lab(), lab().vips.db, ['db-a', 'db-b'])).toEqual(['db-a']);
    expect((await lab().psql('db-a', 'select pg_is_in_recovery();')).stdout.trim()).toBe('f');
    expect(await holdersOf(lab(), lab().vips.gw, ['gw-a', 'gw-b'])).toEqual(['gw-b']);
    expect(await holdersOf(lab(), lab().vips.files, ['files-a', 'files-b'])).toEqual(['files-b']);
    expect(await activeUnits(lab(), 'files-b')).toEqual(lab().hosts['files-b'].units);
  }, 180_000);

  it('every group moves, the units run on the targets, and every acknowledged write through the db VIP is there', async () => {
    // Put the lab back as it was (from outside), and db's runbook back to the default.
    await placeVip(lab(), lab().vips.gw, 'gw-a', ['gw-a', 'gw-b']);
    await placeVip(lab(), lab().vips.files, 'files-a', ['files-a', 'files-b']);
    await haltingDbRunbook(w, false);
    const created = await lab().psql(
      'db-a',
      'create table if not exists lifeboat_recovery (n bigserial primary key);',
      {
        database: lab().postgres.database,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    const writes = dbWriter(lab(), 'lifeboat_recovery', 25);
    await sleep(1500);
    const view = await recoverInOneRun(w);
    await sleep(1500);
    expect(view.status, view.summary).toBe('succeeded');
    for (const name of PAIRS) {
      const g = lab().groups[name];
      expect(await holdersOf(lab(), g.vip, g.members), name).toEqual([g.standby]);
    }
    for (const host of ['gw-b', 'web-b', 'db-b', 'files-b'] as const)
      expect(await activeUnits(lab(), host), host).toEqual(lab().hosts[host].units);
    expect((await lab().psql('db-b', 'select pg_is_in_recovery();')).stdout.trim()).toBe('f');
    // web came back only after db and gw were back.
    expect(group(view, 'web').backAfterMs!).toBeGreaterThanOrEqual(group(view, 'db').backAfterMs!);
    expect(group(view, 'web').backAfterMs!).toBeGreaterThanOrEqual(group(view, 'gw').backAfterMs!);
    const acknowledged = (await writes).filter((x) => x.ok);
    expect(acknowledged.some((x) => x.host === 'db-a')).toBe(true);
    expect(acknowledged.some((x) => x.host === 'db-b')).toBe(true);
    const rows = await lab().psql('db-b', 'select n from lifeboat_recovery;', { database: lab().postgres.database });
    const present = new Set(rows.stdout.split('\n').filter(Boolean).map(Number));
    expect(acknowledged.filter((x) => !present.has(x.id!)).map((x) => x.id)).toEqual([]);
    const audit = listAuditRows(w.ws.db, { limit: 5000 });
    expect(audit.filter((r) => r.kind === 'intent').length).toBe(audit.filter((r) => r.kind === 'outcome').length);
    expect(audit.some((r) => r.kind === 'run' && r.detail.startsWith(`recovery #${view.id}: `))).toBe(true);
  }, 180_000);
});
