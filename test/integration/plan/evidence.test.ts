import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanExport, PlanSummary } from '../../../shared/contract/plan';
import type { Check, CheckResult } from '../../../shared/checks';
import type { Runbook } from '../../../shared/runbooks';
import type { Snapshot } from '../../../shared/domain';
import { exampleCompany } from '../../../shared/example-company';
import { planToYaml, PlanDocument } from '../../../shared/plan-file';
import { insertResults } from '../../../electron/db/repositories/checks';
import { insertRun } from '../../../electron/db/repositories/runs';
import { definitionHash, loadGroup, resolveRunbook } from '../../../electron/failover/definition';
import { setDrillMaxAgeDays } from '../../../electron/failover/drills';
import { STATUS_COLOURS } from '../../../electron/plan/map-svg';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

const LOGIN_KEY = '/home/sam/.ssh/lifeboat_login_secret';
const RSYNC_KEY = '/root/.ssh/files_sync_secret';
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

describe('the plan reads the workspace evidence: saved runbooks, drills, check results', () => {
  let ws: TempWorkspace;
  let snapshot: Snapshot;
  let before: PlanSummary;
  let after: PlanSummary;
  let markdown: string;
  let html: string;
  const now = Date.now();
  const group = (name: string) => snapshot.groups.find((g) => g.name === name)!;
  const server = (name: string) => snapshot.servers.find((s) => s.name === name)!;
  const reasons = (summary: PlanSummary, service: string) =>
    summary.readiness.services.find((s) => s.name === service)!.reasons.map((r) => r.code);

  function recordDrill(groupName: string, target: string, minutes: number, daysAgo: number, staleHash = false): void {
    const g = group(groupName);
    const context = loadGroup(ws.db, g.id);
    const runbook = resolveRunbook(ws.db, context, server(target).id);
    const finishedAt = now - daysAgo * DAY;
    insertRun(ws.db, {
      groupId: g.id,
      groupName: g.name,
      sourceServerId: runbook.sourceServerId,
      targetServerId: runbook.targetServerId,
      mode: 'drill',
      status: 'succeeded',
      operator: 'sam',
      owner: { pid: 1, host: 'test', token: 't' },
      startedAt: finishedAt - minutes * MINUTE,
      finishedAt,
      definitionHash: staleHash ? 'f'.repeat(64) : definitionHash(context, runbook.steps),
      runbook: runbook.steps,
      preflight: null,
      steps: [],
      rtoMinutes: context.rtoMinutes,
      summary: '',
      note: '',
    });
  }

  async function addCheck(
    draft: Record<string, unknown>,
    result: Pick<CheckResult, 'status' | 'summary' | 'metrics'>,
  ): Promise<void> {
    const check = await ws.ok<Check>('checks.save', draft);
    insertResults(ws.db, [{ checkId: check.id, at: now - MINUTE, observed: result.status, durationMs: 20, ...result }]);
  }

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.importPlan', {
      yaml: planToYaml(PlanDocument.parse(exampleCompany({ keyPath: LOGIN_KEY }))),
    });
    snapshot = await ws.ok<Snapshot>('workspace.snapshot');
    before = await ws.ok<PlanSummary>('plan.summary');

    // A saved runbook for the file share: the generated one with a key file for rsync and a manual step.
    const generated = await ws.ok<Runbook>('runbooks.get', {
      groupId: group('files').id,
      targetServerId: server('files-b').id,
    });
    const steps = generated.steps.map((s) =>
      s.type === 'action' && s.action.kind === 'rsync.sync'
        ? { ...s, action: { ...s.action, params: { ...s.action.params, identityFile: RSYNC_KEY } } }
        : s,
    );
    steps.unshift({
      type: 'manual',
      title: 'Tell the office the file share moves now',
      instruction: 'Ask everyone to save and close shared documents.',
      role: 'Operations manager',
      expectedMinutes: 3,
    });
    await ws.ok('runbooks.save', {
      groupId: generated.groupId,
      direction: generated.direction,
      sourceServerId: generated.sourceServerId,
      targetServerId: generated.targetServerId,
      steps,
    });

    setDrillMaxAgeDays(ws.db, 30);
    recordDrill('db', 'db-b', 45, 2); // slower than the 30 min RTO
    recordDrill('gw', 'gw-b', 10, 1, true); // the definition changed since
    recordDrill('web', 'web-b', 20, 40); // older than the 30 days set above

    await addCheck(
      { name: 'gateway answers', kind: 'tcp', serverId: server('gw-b').id, params: { host: '192.0.2.2', port: 443 } },
      { status: 'fail', summary: 'connection refused', metrics: {} },
    );
    await addCheck(
      { name: 'db replication', kind: 'postgres', groupId: group('db').id, params: {} },
      {
        status: 'warn',
        summary: 'lag 15 min',
        metrics: { primary: ['db-a'], standbys: ['db-b'], lagBytes: 1000, lagSeconds: 900 },
      },
    );
    await addCheck(
      {
        name: 'files fresh',
        kind: 'freshness',
        serverId: server('files-b').id,
        groupId: group('files').id,
        params: { path: '/srv/files' },
      },
      { status: 'fail', summary: 'old', metrics: { ageMinutes: 180, files: 12 } },
    );
    await addCheck(
      { name: 'web address', kind: 'vip', groupId: group('web').id, params: {} },
      { status: 'ok', summary: 'on web-b', metrics: { holders: ['192.0.2.10=web-b'], maxHolders: 1, minHolders: 1 } },
    );

    after = await ws.ok<PlanSummary>('plan.summary');
    markdown = (await ws.ok<PlanExport>('plan.export', { format: 'md' })).content;
    html = (await ws.ok<PlanExport>('plan.export', { format: 'html' })).content;
  }, 60_000);
  afterAll(() => ws?.cleanup());

  it('before any evidence: no saved runbook, never drilled, no health checks', () => {
    expect(reasons(before, 'Database')).toEqual(
      expect.arrayContaining(['no_runbook', 'never_drilled', 'no_health_checks']),
    );
    expect(before.readiness.sources).toEqual({ runbooks: true, drills: true, health: true });
  });

  it('fires every evidence reason from the stored drills and check results', () => {
    expect(reasons(after, 'Database')).toEqual(
      expect.arrayContaining(['no_runbook', 'drill_slower_than_rto', 'replication_lag']),
    );
    expect(reasons(after, 'Database')).not.toContain('never_drilled');
    expect(reasons(after, 'Network gateway')).toEqual(
      expect.arrayContaining(['changed_since_drill', 'health_failing']),
    );
    expect(reasons(after, 'CRM')).toEqual(expect.arrayContaining(['drill_too_old', 'drift']));
    expect(reasons(after, 'File share')).toEqual(
      expect.arrayContaining(['sync_age', 'health_failing', 'never_drilled']),
    );
    expect(reasons(after, 'File share')).not.toContain('no_runbook');
    expect(reasons(after, 'Phones')).toContain('no_health_checks');
    expect(after.readiness.score).toBeLessThan(before.readiness.score + 20);
  });

  it('times the recovery order and the impact with the drill figures', () => {
    const step = (name: string) => after.recoveryOrder.find((s) => s.name === name)!;
    expect(step('Database')).toMatchObject({ ownMinutes: 45, expectedMinutes: 45, withinRto: false });
    expect(step('CRM')).toMatchObject({ ownMinutes: 20, expectedMinutes: 65 });
    const crm = after.impact.services.find((s) => s.name === 'CRM')!;
    expect(crm).toMatchObject({ basis: 'drill', recoveryMinutes: 20 });
    expect(after.impact.services.find((s) => s.name === 'File share')).toMatchObject({
      basis: 'rto',
      recoveryMinutes: 240,
    });
  });

  it('prints what changed: the saved runbook with its manual step, the findings, the drills', () => {
    for (const text of [markdown, html]) {
      expect(text).toContain('Tell the office the file share moves now');
      expect(text).toContain('The runbook saved in Lifeboat');
      expect(text).toContain('Failing checks on group');
      expect(text).toContain('not on the primary web-a');
      expect(text).toContain('about 45 min (from drills)');
    }
    expect(markdown).toMatch(/\| db \| [^|]+ \| 45 min \| succeeded \|/);
    expect(markdown).toContain('Operations manager · about 3 min');
  });

  it('colours the dependency map by the latest check status, with a status legend', async () => {
    const { svg } = await ws.ok<{ svg: string }>('plan.map');
    const tooltip = (title: string) => new RegExp(`<g><title>${title} — [^<]*</title>`).exec(svg)?.[0] ?? '';
    expect(tooltip('gw-b')).toContain('status: down'); // its tcp check fails
    expect(tooltip('group db')).toContain('status: degraded'); // the postgres check warns
    expect(tooltip('group web')).toContain('status: up');
    expect(tooltip('Database')).toContain('status: degraded');
    expect(tooltip('pbx')).not.toContain('status:'); // no check watches it
    for (const status of ['up', 'degraded', 'down', 'unknown']) expect(svg).toContain(`>status: ${status}</text>`);
    expect(svg).toContain(`fill="${STATUS_COLOURS.down}"`);
  });

  it('never prints a key path: the login key or the rsync key file', () => {
    for (const text of [markdown, html]) {
      expect(text).not.toContain(LOGIN_KEY);
      expect(text).not.toContain(RSYNC_KEY);
      expect(text).not.toContain('files_sync_secret');
    }
    expect(markdown).toContain('-i <key file>');
  });
});
