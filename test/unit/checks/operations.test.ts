import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { migrate } from '../../../electron/db/migrate';
import type { Check, CheckView, MonitoringStatus } from '../../../shared/checks';
import type { Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
let snap: Snapshot;
const groupId = (name: string) => snap.groups.find((g) => g.name === name)!.id;
const serverId = (name: string) => snap.servers.find((s) => s.name === name)!.id;

beforeEach(async () => {
  ws = openTempWorkspace();
  snap = await ws.ok<Snapshot>('workspace.create', { template: 'example' });
});
afterEach(() => ws.cleanup());

async function refused(method: string, payload: unknown) {
  const envelope = await ws.dispatcher.dispatch(method, payload);
  expect(envelope.ok).toBe(false);
  return envelope.ok ? null : envelope.error;
}

describe('migration 0004', () => {
  it('adds the checks tables and sets user_version to 4', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 4),
    );
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['checks', 'check_results', 'check_state', 'monitoring_settings', 'alert_log']),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    db.close();
  });
});

describe('checks through the API', () => {
  it('monitoring is off until it is turned on, so the example company is never contacted', async () => {
    expect(await ws.ok<MonitoringStatus>('monitoring.status')).toEqual({
      enabled: false,
      running: false,
      lastSweep: null,
    });
    expect((await ws.ok<MonitoringStatus>('monitoring.set', { enabled: true })).enabled).toBe(true);
    expect((await ws.ok<MonitoringStatus>('monitoring.status')).enabled).toBe(true);
  });

  it('generates the checks each group implies, once', async () => {
    const { created, existing } = await ws.ok<{ created: Check[]; existing: number }>('checks.generateDefaults', {});
    expect(existing).toBe(0);
    const kinds = (kind: string) => created.filter((c) => c.kind === kind).map((c) => c.name);
    expect(kinds('vip').sort()).toEqual([
      'db: VIP ownership',
      'files: VIP ownership',
      'gw: VIP ownership',
      'web: VIP ownership',
    ]);
    expect(kinds('postgres')).toEqual(['db: PostgreSQL roles and lag']);
    expect(kinds('freshness')).toEqual(['files: sync stamp on files-b (actual RPO)']);
    expect(kinds('drift')).toEqual(['files: drift of /srv/files']);
    expect(kinds('service').sort()).toEqual([
      'db: postgresql@15-main running',
      'files: fileshare running',
      'gw: gateway running',
      'web: crm running',
      'web: nginx running',
    ]);
    expect(kinds('ssh')).toHaveLength(9);
    expect(kinds('disk')).toHaveLength(9);
    expect(kinds('load')).toHaveLength(9);
    expect(kinds('clock')).toHaveLength(9);
    const again = await ws.ok<{ created: Check[]; existing: number }>('checks.generateDefaults', {});
    expect(again).toEqual({ created: [], existing: created.length });
  });

  it('refuses checks that cannot run as defined, with the field that is wrong', async () => {
    expect(await refused('checks.save', { kind: 'vip', name: 'no group', params: {} })).toMatchObject({
      code: 'invalid_input',
      issues: [{ path: ['groupId'] }],
    });
    expect(
      (await refused('checks.save', { kind: 'vip', name: 'pbx vip', groupId: groupId('pbx'), params: {} }))?.message,
    ).toContain('has no virtual IP');
    expect(
      (await refused('checks.save', { kind: 'postgres', name: 'pg', groupId: groupId('web'), params: {} }))?.message,
    ).toContain('does not keep its data in PostgreSQL');
    expect(await refused('checks.save', { kind: 'disk', name: 'disk', params: {} })).toMatchObject({
      issues: [{ path: ['serverId'] }],
    });
    expect(await refused('checks.save', { kind: 'disk', name: 'disk', serverId: 999, params: {} })).toMatchObject({
      issues: [{ path: ['serverId'] }],
    });
    expect((await ws.ok<CheckView[]>('checks.list', {})).length).toBe(0);
  });

  it('refuses hostile values at the contract: nothing is stored', async () => {
    const web = serverId('web-a');
    const bad = [
      { kind: 'service', name: 's', serverId: web, params: { unit: 'nginx; rm -rf /' } },
      { kind: 'service', name: 's', serverId: web, params: { unit: '--help' } },
      { kind: 'disk', name: 'd', serverId: web, params: { path: '/srv/../etc' } },
      { kind: 'disk', name: 'd', serverId: web, params: { path: '/srv\n/etc' } },
      { kind: 'tcp', name: 't', serverId: web, params: { host: '010.0.2.12', port: 80 } },
      { kind: 'tcp', name: 't', serverId: web, params: { host: '10.0.0.1', port: 65536 } },
      { kind: 'http', name: 'h', serverId: web, params: { url: 'http://user:pass@10.0.0.1/' } },
      { kind: 'http', name: 'h', serverId: web, params: { url: 'http://10.0.0.1/a b' } },
      { kind: 'http', name: 'h', serverId: web, params: { url: 'file:///etc/passwd' } },
      { kind: 'drift', name: 'd', groupId: groupId('web'), params: { paths: ['relative/path'] } },
      { kind: 'disk', name: 'd', serverId: web, params: { warnPercent: 95, failPercent: 90 } },
    ];
    for (const payload of bad) expect((await refused('checks.save', payload))?.code).toBe('invalid_input');
    expect((await ws.ok<CheckView[]>('checks.list', {})).length).toBe(0);
  });

  it('saves, lists by group, updates and deletes a check', async () => {
    const saved = await ws.ok<Check>('checks.save', {
      kind: 'http',
      name: 'CRM page',
      serverId: serverId('web-b'),
      groupId: groupId('web'),
      params: { url: 'http://192.0.2.10/login', bodyContains: 'Sign in' },
    });
    expect(saved).toMatchObject({ intervalSeconds: 60, retries: 2, enabled: true, params: { expectStatus: 200 } });
    expect((await ws.ok<CheckView[]>('checks.list', { groupId: groupId('web') })).map((v) => v.check.name)).toEqual([
      'CRM page',
    ]);
    expect(await ws.ok<CheckView[]>('checks.list', { groupId: groupId('db') })).toEqual([]);
    await ws.ok('checks.save', { ...saved, enabled: false });
    expect((await ws.ok<CheckView[]>('checks.list', {}))[0]).toMatchObject({ check: { enabled: false }, latest: null });
    await ws.ok('checks.delete', { id: saved.id });
    expect((await refused('checks.delete', { id: saved.id }))?.code).toBe('not_found');
    expect((await refused('checks.history', { checkId: saved.id }))?.code).toBe('not_found');
  });

  it('says plainly when no SSH engine is wired in this process', async () => {
    ws.cleanup();
    ws = openTempWorkspace({ runner: null });
    await ws.ok('workspace.create', { template: 'example' });
    await ws.ok('checks.generateDefaults', {});
    expect(await refused('checks.runNow', {})).toMatchObject({ code: 'unavailable' });
  });

  it('checks go with the group or server they belong to, and with a replaced workspace', async () => {
    await ws.ok('checks.generateDefaults', {});
    const before = (await ws.ok<CheckView[]>('checks.list', {})).length;
    await ws.ok('groups.delete', { id: groupId('pbx') });
    const after = await ws.ok<CheckView[]>('checks.list', {});
    expect(after.length).toBe(before - 4);
    await ws.ok('workspace.create', { template: 'empty' });
    expect(await ws.ok<CheckView[]>('checks.list', {})).toEqual([]);
  });
});
