import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanExport, PlanSummary } from '../../../shared/contract/plan';
import type { Snapshot } from '../../../shared/domain';
import { loadGroup, resolveRunbook } from '../../../electron/failover/definition';
import { buildPlan } from '../../../electron/failover/plan';
import { mdText } from '../../../electron/plan/markdown';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

describe('the example company as Markdown', () => {
  let ws: TempWorkspace;
  let snapshot: Snapshot;
  let summary: PlanSummary;
  let markdown: string;

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    snapshot = await ws.ok<Snapshot>('workspace.snapshot');
    summary = await ws.ok<PlanSummary>('plan.summary');
    markdown = (await ws.ok<PlanExport>('plan.export', { format: 'md' })).content;
  });
  afterAll(() => ws?.cleanup());

  it('has every contact phone, support phone and service', () => {
    const phones = [
      ...snapshot.contacts.flatMap((c) => c.phones),
      ...snapshot.servers.map((s) => s.support.phone).filter(Boolean),
    ];
    expect(phones.length).toBeGreaterThan(5);
    for (const phone of phones) expect(markdown, phone).toContain(mdText(phone));
    for (const service of snapshot.services) expect(markdown, service.name).toContain(`**${mdText(service.name)}**`);
  });

  it('has every script of every runbook the engine would run, verbatim in a fenced block', () => {
    let count = 0;
    for (const group of snapshot.groups) {
      const context = loadGroup(ws.db, group.id);
      for (const member of group.members) {
        for (const step of buildPlan(context, resolveRunbook(ws.db, context, member.serverId)).steps) {
          if (step.type === 'manual') expect(markdown, step.title).toContain(mdText(step.title));
          for (const command of step.commands) {
            count++;
            expect(markdown, command.script).toContain(
              ['   ```sh', ...command.script.split('\n').map((line) => `   ${line}`), '   ```'].join('\n'),
            );
          }
        }
      }
    }
    expect(count).toBeGreaterThan(30);
  });

  it('has the fix of every readiness finding', () => {
    expect(summary.readiness.next.length).toBeGreaterThan(3);
    for (const action of summary.readiness.next) expect(markdown, action.fix).toContain(mdText(action.fix));
  });

  it('has the dependency map as a list: service → group → servers', () => {
    expect(markdown).toContain('### Dependency map (as a list)');
    expect(markdown).toContain(
      '- **CRM** (needs Database, Network gateway) → group web, VIP 192.0.2.10 → web-a (primary), web-b (standby)',
    );
    expect(markdown).toContain('- **Phones** (needs Network gateway) → group pbx → pbx (primary)');
    expect(markdown).toContain('- **Email** (needs Network gateway) → hosted by Hosted email provider');
  });
});
