/**
 * The audit covers every change, and its end is anchored outside the table: deleting the last rows
 * (which leaves an intact chain) is caught by `audit --verify` through the anchor file beside the
 * workspace and through the plan's revision; the workspace file is created 0600; a stored password
 * is audited as "stored", never its value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { appendAudit, verifyAudit } from '../../../electron/failover/audit';
import { anchorPath } from '../../../electron/failover/audit-anchor';
import { main, type CliIo } from '../../../electron/cli';
import { startLiveHost, type LiveHost } from '../../../electron/live';
import { safeStorageSecrets } from '../../../electron/shell/secret-store';
import { FakeSafeStorage } from '../../helpers/fake-electron';
import type { Server, ServiceGroup } from '../../../shared/domain';

let ws: TempWorkspace;
let live: LiveHost | null = null;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(async () => {
  await live?.dispose();
  live = null;
  ws.cleanup();
});

const rows = () =>
  ws.db.prepare('SELECT kind, detail FROM audit_log ORDER BY id').all() as { kind: string; detail: string }[];
const changes = () =>
  rows()
    .filter((r) => r.kind === 'change')
    .map((r) => r.detail);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(['--db', ws.file, ...argv], io);
  return { code, out, err };
}

describe('the audit anchor', () => {
  it('deleting the last rows leaves a chain that still links, and verify catches it through the anchor file', async () => {
    for (let i = 0; i < 5; i++) appendAudit(ws.db, { kind: 'note', detail: `row ${i + 1}` });
    expect(verifyAudit(ws.db)).toEqual({ ok: true, rows: 5, firstBroken: null });
    expect(JSON.parse(fs.readFileSync(anchorPath(ws.db)!, 'utf8'))).toMatchObject({ id: 5 });
    expect(fs.statSync(anchorPath(ws.db)!).mode & 0o777).toBe(0o600);

    ws.db.prepare('DELETE FROM audit_log WHERE id >= 4').run();
    const result = verifyAudit(ws.db);
    expect(result).toMatchObject({
      ok: false,
      rows: 3,
      firstBroken: { id: 4, reason: expect.stringMatching(/rows 4 to 5 are missing: the anchor file .* names row 5/) },
    });
    const shown = await cli('audit', '--verify');
    expect(shown.code).toBe(1);
    expect(shown.err).toMatch(/AUDIT LOG BROKEN at row 4: rows 4 to 5 are missing/);
  });

  it('a deleted anchor file is itself reported, and the plan revision still anchors the end', async () => {
    for (let i = 0; i < 3; i++) appendAudit(ws.db, { kind: 'note', detail: `row ${i + 1}` });
    await ws.ok('plan.export', { format: 'md' });
    const head = ws.db.prepare('SELECT audit_id FROM plan_revisions ORDER BY id DESC LIMIT 1').get() as {
      audit_id: number;
    };
    expect(head.audit_id).toBeGreaterThanOrEqual(3);
    fs.rmSync(anchorPath(ws.db)!);
    expect(verifyAudit(ws.db)).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/audit anchor .* is missing/) },
    });
    // Whoever deletes rows and the anchor file (and rewrites nothing else) is still caught by the revision.
    ws.db.prepare('DELETE FROM audit_log WHERE id >= ?').run(head.audit_id);
    appendAudit(ws.db, { kind: 'note', detail: 'a new row rewrites the anchor file' });
    expect(verifyAudit(ws.db)).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/plan revision 1/) },
    });
  });

  it('the workspace file is created readable by its owner only', () => {
    expect(fs.statSync(ws.file).mode & 0o777).toBe(0o600);
  });
});

describe('every change is audited', () => {
  it('inventory, runbooks, settings, imports and host keys write one row each, naming what changed', async () => {
    const site = await ws.ok<{ id: number }>('sites.save', { name: 'Head office' });
    const a = await ws.ok<Server>('servers.save', {
      name: 'web-a',
      addresses: ['10.77.0.11'],
      ssh: { host: '10.77.0.11' },
      siteId: site.id,
    });
    const b = await ws.ok<Server>('servers.save', {
      name: 'web-b',
      addresses: ['10.77.0.12'],
      ssh: { host: '10.77.0.12' },
    });
    await ws.ok('servers.save', { ...a, name: 'web-a', ssh: { ...a.ssh } });
    const group = await ws.ok<ServiceGroup>('groups.save', {
      name: 'web',
      members: [
        { serverId: a.id, role: 'primary' },
        { serverId: b.id, role: 'standby' },
      ],
      vips: [
        {
          address: '10.77.0.10',
          prefix: 24,
          interfaces: [
            { serverId: a.id, interface: 'eth0' },
            { serverId: b.id, interface: 'eth0' },
          ],
        },
      ],
      data: { kind: 'none' },
      processes: [],
    });
    const service = await ws.ok<{ id: number }>('services.save', {
      name: 'CRM',
      tier: 'critical',
      rtoMinutes: 30,
      rpoMinutes: 5,
      groupId: group.id,
    });
    const contact = await ws.ok<{ id: number }>('contacts.save', {
      name: 'Sam Admin',
      role: 'admin',
      phones: ['+1 555 0100'],
    });
    const runbook = await ws.ok<{ steps: unknown[] }>('runbooks.generate', { groupId: group.id, targetServerId: b.id });
    await ws.ok('runbooks.save', {
      groupId: group.id,
      direction: 'failover',
      sourceServerId: a.id,
      targetServerId: b.id,
      steps: runbook.steps,
    });
    await ws.ok('settings.save', { companyName: 'Call centre', targetMinutes: 30 });
    await ws.ok('contacts.delete', { id: contact.id });
    await ws.ok('services.delete', { id: service.id });
    const before = rows().length;
    await ws.ok('hosts.forget', { serverId: a.id });
    expect(rows().length).toBe(before + 1);

    expect(changes()).toEqual([
      'created site "Head office" (#1)',
      `created server "web-a" (#${a.id})`,
      `created server "web-b" (#${b.id})`,
      `updated server "web-a" (#${a.id})`,
      `created group "web" (#${group.id})`,
      `created service "CRM" (#${service.id})`,
      `created contact "Sam Admin" (#${contact.id})`,
      `saved the runbook of group #${group.id} to server #${b.id} (${runbook.steps.length} steps)`,
      'saved the settings (companyName, targetMinutes)',
      `deleted contact #${contact.id} "Sam Admin"`,
      `deleted service #${service.id} "CRM"`,
      `forgot 0 pinned host key(s) of server #${a.id} (10.77.0.11:22)`,
    ]);
    expect(rows().every((r) => r.kind !== 'change' || r.detail.length > 0)).toBe(true);
    expect(verifyAudit(ws.db).ok).toBe(true);
  });

  it('an import replaces the workspace and is audited; a refused one writes nothing', async () => {
    const refused = await ws.dispatcher.dispatch('workspace.importPlan', { yaml: 'version: 99\n' });
    expect(refused.ok).toBe(false);
    expect(changes()).toEqual([]);
    const example = openTempWorkspace();
    let yaml: string;
    try {
      await example.ok('workspace.create', { template: 'example' });
      ({ yaml } = await example.ok<{ yaml: string }>('workspace.exportPlan', {}));
    } finally {
      example.cleanup();
    }
    await ws.ok('workspace.importPlan', { yaml });
    expect(changes()).toEqual([
      expect.stringMatching(
        /^imported a plan file \(the workspace was replaced\): \d+ sites, \d+ servers, \d+ services, \d+ groups/,
      ),
    ]);
  });

  it('a password stored and cleared is audited by whose it is, never by its value', async () => {
    const pbx = await ws.ok<Server>('servers.save', {
      name: 'pbx',
      ssh: { host: '10.77.0.40', user: 'admin', auth: { kind: 'password' } },
    });
    live = startLiveHost(ws, { secrets: safeStorageSecrets(ws.db, new FakeSafeStorage(), 'linux') });
    await ws.ok('hosts.setPassword', { serverId: pbx.id, password: 'pbx-s3cret-value' });
    await ws.ok('hosts.clearPassword', { serverId: pbx.id });
    expect(changes().slice(-2)).toEqual([
      `stored the SSH password for admin@10.77.0.40:22 (server #${pbx.id}); the password itself is not recorded`,
      `cleared the SSH password for admin@10.77.0.40:22 (server #${pbx.id})`,
    ]);
    const everything =
      fs.readFileSync(ws.file).toString('latin1') + fs.readFileSync(`${ws.file}-wal`).toString('latin1');
    expect(JSON.stringify(rows())).not.toContain('pbx-s3cret-value');
    expect(everything).not.toContain('pbx-s3cret-value');
    expect(path.dirname(anchorPath(ws.db)!)).toBe(ws.dir);
  });
});
