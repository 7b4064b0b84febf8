import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METHOD_NAMES, methods, events, EVENT_NAMES } from '../../../shared/contract';
import { handlers } from '../../../electron/services/handlers';
import type { Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

describe('the API contract', () => {
  it('has a handler for every method and no handler without a method', () => {
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('gives every method input and output schemas and a summary, and every event a payload schema', () => {
    for (const name of METHOD_NAMES) {
      expect(methods[name].summary.length, name).toBeGreaterThan(5);
      expect(typeof methods[name].input.safeParse, name).toBe('function');
      expect(typeof methods[name].output.safeParse, name).toBe('function');
    }
    for (const name of EVENT_NAMES) expect(typeof events[name].safeParse).toBe('function');
  });

  it('answers an unknown method with invalid_input', async () => {
    expect(await ws.dispatcher.dispatch('servers.dropTables', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it.each([
    ['servers.save', { name: 'web-a', ssh: { host: '192.0.2.300' } }, ['ssh', 'host']],
    ['servers.save', { name: 'web a', ssh: { host: '192.0.2.1' } }, ['name']],
    ['servers.save', { name: 'web-a', ssh: { host: '192.0.2.1', port: 65536 } }, ['ssh', 'port']],
    ['servers.save', { name: 'web-a', addresses: ['010.0.2.12'], ssh: { host: '192.0.2.1' } }, ['addresses', 0]],
    ['services.save', { name: 'CRM', tier: 'critical', rtoMinutes: -5 }, ['rtoMinutes']],
    ['services.save', { name: 'CRM', tier: 'critical', rtoMinutes: 'thirty' }, ['rtoMinutes']],
    ['services.save', { name: 'CRM', tier: 'urgent', rtoMinutes: 30 }, ['tier']],
    [
      'groups.save',
      { name: 'web', vips: [{ address: '192.0.2.10', prefix: 24, interfaces: [{ serverId: 1, interface: '-eth0' }] }] },
      ['vips', 0, 'interfaces', 0, 'interface'],
    ],
    ['groups.save', { name: 'web', vips: [{ address: '127.0.0.1', prefix: 8 }] }, ['vips', 0, 'address']],
    ['groups.save', { name: 'web', vips: [{ address: '192.0.2.255', prefix: 24 }] }, ['vips', 0, 'address']],
    ['groups.save', { name: 'web', vips: [{ address: '224.0.0.18', prefix: 24 }] }, ['vips', 0, 'address']],
    ['groups.save', { name: 'web', processes: ['nginx; reboot'] }, ['processes', 0]],
    ['groups.save', { name: 'files', data: { kind: 'rsync', paths: ['/srv/../etc'] } }, ['data', 'paths', 0]],
    ['contacts.save', { name: 'Sam', phones: ['call me'] }, ['phones', 0]],
    ['servers.delete', { id: 'x' }, ['id']],
    ['servers.save', { name: 'web-a', ssh: { host: '192.0.2.1' }, extra: 1 }, []],
  ] as const)('refuses %s with a bad field and writes nothing (%j)', async (method, payload, path) => {
    const result = await ws.dispatcher.dispatch(method, payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.issues?.map((i) => i.path)).toContainEqual(path);
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    expect(snap.servers.length + snap.services.length + snap.groups.length + snap.contacts.length).toBe(0);
  });

  it('broadcasts workspace.changed after a change and not after a read or a refusal', async () => {
    const seen: string[] = [];
    ws.dispatcher.subscribe((event, payload) => seen.push(`${event}:${(payload as { method: string }).method}`));
    await ws.ok('workspace.snapshot');
    await ws.dispatcher.dispatch('servers.save', { name: 'bad name', ssh: { host: '192.0.2.1' } });
    await ws.ok('servers.save', { name: 'web-a', ssh: { host: '192.0.2.1' } });
    expect(seen).toEqual(['workspace.changed:servers.save']);
  });
});
