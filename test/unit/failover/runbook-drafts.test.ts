import { describe, expect, it } from 'vitest';
import { actionTemplate, buildSteps, draftOf, newActionStep, newManualStep } from '../../../renderer/src/features/failover/runbook-drafts';
import { ACTION_KINDS, DEFAULT_PROBE_MS } from '../../../shared/runbooks';
import { ServiceGroup } from '../../../shared/domain';

const group = ServiceGroup.parse({
  id: 3, name: 'db', members: [{ serverId: 21, role: 'primary' }, { serverId: 22, role: 'standby' }], processes: ['crm-app'],
  vips: [{ address: '10.77.0.20', prefix: 24, interfaces: [{ serverId: 21, interface: 'eth0' }, { serverId: 22, interface: 'ens3' }] }],
  data: { kind: 'postgres', dataDir: '/srv/pgdata', database: 'crm' },
});

describe('the runbook editor model', () => {
  it('adds an action step of every built-in kind, filled from the group, on the chosen member', () => {
    for (const kind of ACTION_KINDS) {
      const draft = newActionStep(kind, group, 22, 21, 'db-b');
      expect(draft.step).toMatchObject({ type: 'action', serverId: 22, title: `${kind} on db-b`, action: { kind } });
    }
    expect(actionTemplate('vip.acquire', group, 22, 21)).toEqual({ address: '10.77.0.20', prefix: 24, interface: 'ens3', probeMilliseconds: DEFAULT_PROBE_MS });
    expect(actionTemplate('postgres.promote', group, 22, 21)).toMatchObject({ dataDir: '/srv/pgdata', database: 'crm', fenceServerId: 21 });
    // Filled templates are valid steps as they are.
    const filled = ['vip.release', 'vip.acquire', 'postgres.promote', 'service.start', 'wait.check'] as const;
    expect(buildSteps(filled.map((kind) => newActionStep(kind, group, 22, 21, 'db-b'))).issues).toEqual([]);
  });

  it('keeps validation errors on the step they belong to', () => {
    const drafts = [newManualStep(), newActionStep('command.run', group, 22, 21, 'db-b'), newActionStep('vip.acquire', group, 22, 21, 'db-b')];
    drafts[0] = { ...drafts[0], minutesText: 'five' };
    drafts[2] = { ...drafts[2], paramsText: '{"address": "10.77.0.300", "interface": "ens3"}' };
    const { issues } = buildSteps(drafts);
    expect(issues).toEqual(expect.arrayContaining([
      { path: ['steps', 0, 'expectedMinutes'], message: 'whole minutes, e.g. 5' },
      expect.objectContaining({ path: ['steps', 1, 'action', 'params', 'script'], message: 'the script is empty' }),
      expect.objectContaining({ path: ['steps', 2, 'action', 'params', 'address'] }),
    ]));
    expect(buildSteps([{ ...drafts[2], paramsText: '{not json' }]).issues).toEqual([{ path: ['steps', 0, 'action', 'params'], message: 'the parameters are not valid JSON' }]);
  });

  it("edits a manual step's role and expected minutes", () => {
    const draft = draftOf({ type: 'manual', title: 'Call the vendor', instruction: '', role: 'admin', expectedMinutes: 5 });
    const edited = { ...draft, step: { ...draft.step, role: 'operations manager' }, minutesText: '20' };
    const { steps, issues } = buildSteps([edited]);
    expect(issues).toEqual([]);
    expect(steps[0]).toMatchObject({ type: 'manual', role: 'operations manager', expectedMinutes: 20 });
    expect(buildSteps([{ ...draft, minutesText: '2000' }]).issues[0].path).toEqual(['steps', 0, 'expectedMinutes']);
  });
});
