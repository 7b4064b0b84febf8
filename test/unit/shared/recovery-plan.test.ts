import { describe, expect, it } from 'vitest';
import { groupNeeds, groupRecoveryOrder, manualStepOwner } from '../../../shared/logic/recovery-plan';
import type { Service } from '../../../shared/domain';
import { exampleCompany } from '../../../shared/example-company';

type S = Pick<Service, 'id' | 'name' | 'tier' | 'rtoMinutes' | 'dependsOn' | 'groupId'>;

/** The example company's groups and services, with ids. */
function example(): { groups: { id: number; name: string }[]; services: S[] } {
  const plan = { groups: exampleCompany().groups ?? [], services: exampleCompany().services ?? [] };
  const groups = plan.groups.map((g, i) => ({ id: i + 1, name: g.name }));
  const ids = new Map(plan.services.map((s, i) => [s.name, i + 1]));
  const services = plan.services.map((s, i) => ({
    id: i + 1,
    name: s.name,
    tier: s.tier,
    rtoMinutes: s.rtoMinutes,
    dependsOn: (s.dependsOn ?? []).map((d) => ids.get(d)!),
    groupId: s.group ? groups.find((g) => g.name === s.group)!.id : null,
  }));
  return { groups, services };
}

const rows = (order: ReturnType<typeof groupRecoveryOrder>, names: Map<number, string>) =>
  order.map((g) => [g.groupName, g.priority, g.needs.map((n) => names.get(n))]);

describe('the recovery order of groups', () => {
  it("runs the example's gateway and database first, together, then what needs them", () => {
    const { groups, services } = example();
    const names = new Map(groups.map((g) => [g.id, g.name]));
    expect(rows(groupRecoveryOrder(groups, services), names)).toEqual([
      ['gw', 1, []],
      ['db', 1, []],
      ['pbx', 2, ['gw']],
      ['web', 2, ['gw', 'db']],
      ['files', 2, ['gw']],
    ]);
  });

  it('follows a dependency through a service no group carries (hosted email)', () => {
    const services: S[] = [
      { id: 1, name: 'Gateway', tier: 'critical', rtoMinutes: 15, dependsOn: [], groupId: 1 },
      { id: 2, name: 'Email', tier: 'important', rtoMinutes: 240, dependsOn: [1], groupId: null },
      { id: 3, name: 'Helpdesk', tier: 'routine', rtoMinutes: 600, dependsOn: [2], groupId: 2 },
    ];
    const needs = groupNeeds(
      [
        { id: 1, name: 'gw' },
        { id: 2, name: 'helpdesk' },
      ],
      services,
    );
    expect([...needs.get(2)!]).toEqual([1]);
    expect([...needs.get(1)!]).toEqual([]);
  });

  it('refuses groups that need each other in a circle, naming them', () => {
    const services: S[] = [
      { id: 1, name: 'A1', tier: 'critical', rtoMinutes: 15, dependsOn: [], groupId: 1 },
      { id: 2, name: 'B1', tier: 'critical', rtoMinutes: 15, dependsOn: [1], groupId: 2 },
      { id: 3, name: 'A2', tier: 'critical', rtoMinutes: 15, dependsOn: [2], groupId: 1 },
    ];
    expect(() =>
      groupRecoveryOrder(
        [
          { id: 1, name: 'a' },
          { id: 2, name: 'b' },
        ],
        services,
      ),
    ).toThrow(/groups need each other in a circle: a → b → a/);
  });

  it('a chosen set keeps only its groups and notes what it assumes is running', () => {
    const { groups, services } = example();
    const web = groups.find((g) => g.name === 'web')!;
    const [only] = groupRecoveryOrder(groups, services, [web.id]);
    expect(only.priority).toBe(1);
    expect(only.needs).toEqual([]);
    expect(only.assumedRunning.map((id) => groups.find((g) => g.id === id)!.name).sort()).toEqual(['db', 'gw']);
    expect(only.rtoMinutes).toBe(30);
    expect(() => groupRecoveryOrder(groups, services, [99])).toThrow(/no service group #99/);
  });

  it("finds a manual step's owner by role, else the service owner, and none when nobody fits", () => {
    const contacts = [
      { id: 1, name: 'Jo', role: 'Operations manager', phones: ['+44 1'], escalationOrder: 2 },
      { id: 2, name: 'Sam', role: 'IT admin (primary on call)', phones: ['+44 2'], escalationOrder: 1 },
      { id: 3, name: 'VoxTel', role: 'PBX vendor support', phones: [], escalationOrder: 4 },
    ];
    expect(manualStepOwner('admin', contacts, [])).toEqual({ name: 'Sam', phone: '+44 2' });
    expect(manualStepOwner('operations manager', contacts, [])).toEqual({ name: 'Jo', phone: '+44 1' });
    expect(manualStepOwner('electrician', contacts, [3])).toEqual({ name: 'VoxTel', phone: '' });
    expect(manualStepOwner('electrician', contacts, [])).toBeNull();
  });
});
