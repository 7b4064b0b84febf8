import { describe, expect, it } from 'vitest';
import { describeExpected, formatMinutes, recoveryOrder } from '../../../shared/logic/recovery-order';
import { LifeboatError } from '../../../shared/errors';
import { exampleSnapshot, service } from './fixtures';

const names = (steps: { name: string }[]) => steps.map((s) => s.name);

describe('recoveryOrder', () => {
  it('orders the example company: gateway first, then what is ready by tier, RTO and name', () => {
    const steps = recoveryOrder(exampleSnapshot().services);
    expect(names(steps)).toEqual([
      'Network gateway',
      'Phones',
      'Database',
      'CRM',
      'Email',
      'File share',
      'Intranet wiki',
    ]);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(steps.find((s) => s.name === 'CRM')?.after).toEqual(['Database', 'Network gateway']);
  });

  it('pulls a routine dependency of a critical service forward, ahead of unrelated important services', () => {
    const steps = recoveryOrder([
      service(1, 'Critical app', { tier: 'critical', rtoMinutes: 5, dependsOn: [2] }),
      service(2, 'Routine DNS', { tier: 'routine', rtoMinutes: 2880 }),
      service(3, 'Important mail', { tier: 'important', rtoMinutes: 60 }),
    ]);
    expect(names(steps)).toEqual(['Routine DNS', 'Critical app', 'Important mail']);
  });

  it('pulls a whole chain forward, and takes the shortest RTO among those that need it', () => {
    const steps = recoveryOrder([
      service(1, 'Critical slow', { tier: 'critical', rtoMinutes: 60 }),
      service(2, 'Critical fast', { tier: 'critical', rtoMinutes: 10, dependsOn: [3] }),
      service(3, 'Important queue', { tier: 'important', rtoMinutes: 240, dependsOn: [4] }),
      service(4, 'Routine store', { tier: 'routine', rtoMinutes: 2880 }),
      service(5, 'Important other', { tier: 'important', rtoMinutes: 30 }),
    ]);
    expect(names(steps)).toEqual([
      'Routine store',
      'Important queue',
      'Critical fast',
      'Critical slow',
      'Important other',
    ]);
  });

  it('among ready services prefers the tier, then the shorter RTO, then the name', () => {
    const steps = recoveryOrder([
      service(1, 'b', { tier: 'important', rtoMinutes: 10 }),
      service(2, 'c', { tier: 'critical', rtoMinutes: 60 }),
      service(3, 'a', { tier: 'critical', rtoMinutes: 60 }),
      service(4, 'd', { tier: 'critical', rtoMinutes: 15 }),
    ]);
    expect(names(steps)).toEqual(['d', 'a', 'c', 'b']);
  });

  it('handles a diamond: the shared dependency once, first; the top last', () => {
    const steps = recoveryOrder([
      service(1, 'Top', { dependsOn: [2, 3] }),
      service(2, 'Left', { dependsOn: [4] }),
      service(3, 'Right', { dependsOn: [4] }),
      service(4, 'Bottom'),
    ]);
    expect(names(steps)).toEqual(['Bottom', 'Left', 'Right', 'Top']);
  });

  it('refuses a cycle with dependency_cycle naming the services', () => {
    const cyclic = [
      service(1, 'CRM', { dependsOn: [2] }),
      service(2, 'Database', { dependsOn: [3] }),
      service(3, 'Files', { dependsOn: [1] }),
    ];
    expect(() => recoveryOrder(cyclic)).toThrow(LifeboatError);
    try {
      recoveryOrder(cyclic);
    } catch (error) {
      expect((error as LifeboatError).code).toBe('dependency_cycle');
      expect((error as LifeboatError).message).toContain('CRM → Database → Files → CRM');
    }
  });

  it('refuses a service that depends on itself', () => {
    expect(() => recoveryOrder([service(1, 'Loop', { dependsOn: [1] })])).toThrow(/Loop → Loop/);
  });

  it('ignores dependencies on unknown services and reports them', () => {
    const [step] = recoveryOrder([service(1, 'Orphan', { dependsOn: [99, 99] })]);
    expect(step.after).toEqual([]);
    expect(step.unknownDependencies).toEqual([99]);
  });

  it('returns nothing for an empty workspace', () => {
    expect(recoveryOrder([])).toEqual([]);
  });

  it('orders hosted services like any other', () => {
    const steps = recoveryOrder([
      service(1, 'Email', { tier: 'important', hostedBy: 'Provider', dependsOn: [2] }),
      service(2, 'Gateway'),
    ]);
    expect(names(steps)).toEqual(['Gateway', 'Email']);
  });

  it('says "no drill yet" when there are no drill figures', () => {
    const steps = recoveryOrder([service(1, 'Gateway'), service(2, 'CRM', { dependsOn: [1] })]);
    expect(steps.every((s) => s.expectedMinutes === null && s.withinRto === null)).toBe(true);
    expect(describeExpected(steps[0])).toBe('no drill yet');
    expect(describeExpected(steps[1])).toBe('no drill yet (nor for Gateway)');
  });

  it('adds drill figures along the longest dependency chain', () => {
    const steps = recoveryOrder(
      [
        service(1, 'Gateway', { rtoMinutes: 15, groupId: 10 }),
        service(2, 'Database', { rtoMinutes: 30, groupId: 20 }),
        service(3, 'CRM', { rtoMinutes: 30, groupId: 30, dependsOn: [1, 2] }),
      ],
      { groups: { 10: 10, 20: 22, 30: 5 } },
    );
    const crm = steps.find((s) => s.name === 'CRM')!;
    expect(crm.ownMinutes).toBe(5);
    expect(crm.expectedMinutes).toBe(27);
    expect(crm.withinRto).toBe(true);
    expect(describeExpected(crm)).toBe('about 27 min (from drills)');
  });

  it('marks a chain slower than the RTO, and a service figure wins over its group figure', () => {
    const steps = recoveryOrder(
      [
        service(1, 'Database', { groupId: 1, rtoMinutes: 30 }),
        service(2, 'CRM', { groupId: 2, rtoMinutes: 30, dependsOn: [1] }),
      ],
      {
        groups: { 1: 25, 2: 20 },
        services: { 2: 8 },
      },
    );
    expect(steps[1]).toMatchObject({ ownMinutes: 8, expectedMinutes: 33, withinRto: false });
  });

  it('counts a group once when a service depends on another service of the same group', () => {
    const steps = recoveryOrder(
      [service(1, 'File share', { groupId: 5 }), service(2, 'Wiki', { groupId: 5, dependsOn: [1] })],
      { groups: { 5: 12 } },
    );
    expect(steps.map((s) => s.expectedMinutes)).toEqual([12, 12]);
  });

  it('leaves the time unknown while any service on the chain is undrilled', () => {
    const steps = recoveryOrder(
      [service(1, 'Gateway', { groupId: 1 }), service(2, 'CRM', { groupId: 2, dependsOn: [1] })],
      { groups: { 2: 5 } },
    );
    expect(steps[1]).toMatchObject({ ownMinutes: 5, expectedMinutes: null, undrilled: ['Gateway'] });
  });
});

describe('formatMinutes', () => {
  it('reads the way people say durations', () => {
    expect([0, 45, 60, 90, 240, 1440, 2880, 1500].map(formatMinutes)).toEqual([
      '0 min',
      '45 min',
      '1 h',
      '1 h 30 min',
      '4 h',
      '1 day',
      '2 days',
      '25 h',
    ]);
  });
});
