import { describe, expect, it } from 'vitest';
import { formatMoney, outageImpact } from '../../../shared/logic/impact';
import { analysePlan } from '../../../electron/plan/analysis';
import { exampleSnapshot, service } from './fixtures';

describe('outageImpact', () => {
  it('counts everything an outage stops, transitively, at the RTO when there is no drill', () => {
    const { services } = outageImpact(exampleSnapshot().services);
    const gateway = services.find((s) => s.name === 'Network gateway')!;
    expect(gateway.alsoStops).toEqual(['CRM', 'Email', 'File share', 'Intranet wiki', 'Phones']);
    expect(gateway.totalCostPerHour).toBe(3000 + 2500 + 2000 + 300 + 400 + 20);
    expect(gateway).toMatchObject({ basis: 'rto', recoveryMinutes: 15, expectedCost: Math.round((8220 * 15) / 60) });
    const database = services.find((s) => s.name === 'Database')!;
    expect(database).toMatchObject({
      costPerHour: null,
      costUnknown: ['Database'],
      alsoStops: ['CRM'],
      totalCostPerHour: 2000,
    });
  });

  it("costs an outage at the service's own drilled time, not the whole chain's, and at the RTO where undrilled", () => {
    const example = exampleSnapshot();
    const id = (name: string) => example.groups.find((g) => g.name === name)!.id;
    const drill = (group: string, minutes: number) => ({
      groupId: id(group),
      finishedAt: '2025-06-01T10:00:00Z',
      minutes,
      succeeded: true,
      changedSince: false,
    });
    const { impact, order } = analysePlan(example, { drills: [drill('gw', 10), drill('db', 25), drill('web', 8)] });
    expect(order.find((s) => s.name === 'CRM')?.expectedMinutes).toBe(33);
    expect(impact.services.find((s) => s.name === 'CRM')).toMatchObject({
      basis: 'drill',
      recoveryMinutes: 8,
      expectedCost: Math.round((2000 * 8) / 60),
    });
    expect(impact.services.find((s) => s.name === 'File share')).toMatchObject({ basis: 'rto', recoveryMinutes: 240 });
  });

  it('uses the measured recovery time and says so', () => {
    const { services } = outageImpact([service(1, 'CRM', { costPerHour: 600, rtoMinutes: 30 })], { 1: 50 });
    expect(services[0]).toMatchObject({ basis: 'drill', recoveryMinutes: 50, expectedCost: 500 });
  });

  it('lists the most urgent first and totals the cost of everything down at once', () => {
    const summary = outageImpact([
      service(1, 'Wiki', { tier: 'routine', costPerHour: 10 }),
      service(2, 'CRM', { costPerHour: 100 }),
    ]);
    expect(summary.services.map((s) => s.name)).toEqual(['CRM', 'Wiki']);
    expect(summary.costPerHourAll).toBe(110);
    expect(outageImpact([])).toEqual({ services: [], costPerHourAll: 0 });
  });
});

describe('formatMoney', () => {
  it('groups thousands without a currency', () => {
    expect([0, 999, 1000, 1234567.6, -2500].map(formatMoney)).toEqual(['0', '999', '1,000', '1,234,568', '-2,500']);
  });
});
