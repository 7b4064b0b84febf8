/**
 * Readiness never rises on evidence that is unknown: checks that read nothing (monitoring off, every
 * host unreachable, every result unknown) count as no checks at all, in the pure rule and from the
 * workspace's stored results.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assessReadiness } from '../../../shared/logic/readiness';
import { workspaceEvidence } from '../../../electron/plan/evidence';
import { insertResults } from '../../../electron/db/repositories/checks';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { pairGroup, server, service, snapshot } from './fixtures';
import type { Check } from '../../../shared/checks';
import type { Snapshot } from '../../../shared/domain';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const inventory = () =>
  snapshot({
    servers: [server(1, 'web-a'), server(2, 'web-b')],
    groups: [pairGroup(1, 'web', 1, 2)],
    services: [service(1, 'CRM', { groupId: 1, rpoMinutes: 5, rtoMinutes: 30, costPerHour: 2000 })],
  });
const base = { runbooks: [{ groupId: 1, steps: 6 }], drills: [], now: NOW };
const facts = (known: number, unknown: string[], failing: string[] = []) => [
  { groupId: 1, failing, known, unknown, drift: [], replicationLagMinutes: null, syncAgeMinutes: null },
];

describe('readiness and unknown health', () => {
  it('checks that all read unknown score no better than having no checks', () => {
    const none = assessReadiness(inventory(), { ...base, health: [] }).score;
    const allUnknown = assessReadiness(inventory(), {
      ...base,
      health: facts(0, ['web-a: SSH', 'web: VIP ownership']),
    });
    expect(allUnknown.score).toBeLessThanOrEqual(none);
    expect(allUnknown.services[0].reasons.map((r) => r.code)).toContain('health_unknown');
    expect(allUnknown.services[0].reasons.find((r) => r.code === 'health_unknown')?.text).toMatch(
      /health of group "web" is unknown: no check has a recent answer \(web-a: SSH, web: VIP ownership\)/,
    );
    const known = assessReadiness(inventory(), { ...base, health: facts(2, []) });
    expect(known.score).toBeGreaterThan(allUnknown.score);
  });
});

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

describe('readiness from the stored results', () => {
  it('does not rise when every check of a group has only unknown results', async () => {
    await ws.ok('workspace.create', { template: 'example' });
    const readiness = async () => (await ws.ok<{ readiness: { score: number } }>('plan.summary', {})).readiness.score;
    const before = await readiness();
    const snap = await ws.ok<Snapshot>('workspace.snapshot', {});
    const web = snap.groups.find((g) => g.name === 'web')!;
    await ws.ok('checks.generateDefaults', { groupId: web.id });
    const checks = (await ws.ok<{ check: Check }[]>('checks.list', {}))
      .map((v) => v.check)
      .filter((c) => c.groupId === web.id || web.members.some((m) => m.serverId === c.serverId));
    expect(checks.length).toBeGreaterThan(0);
    insertResults(
      ws.db,
      checks.map((check) => ({
        checkId: check.id,
        at: Date.now(),
        status: 'unknown' as const,
        observed: 'unknown' as const,
        summary: 'the state of web-a is unknown',
        metrics: {},
        durationMs: 1,
      })),
    );
    expect(await readiness()).toBeLessThanOrEqual(before);
    const evidence = workspaceEvidence(ws.db).readiness.health!.find((h) => h.groupId === web.id)!;
    expect(evidence).toMatchObject({ known: 0, failing: [] });
    expect(evidence.unknown.length).toBe(checks.length);
  });
});
