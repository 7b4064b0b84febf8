/**
 * Installing, reading and removing the scheduled sync through the API with scripted hosts that can
 * fail: nothing is sent without the typed confirmation bound to the files shown; an install counts
 * only when the files' sha256 are read back; a cut, failed or unreachable answer is unknown.
 */
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server } from '../../../shared/domain';
import type { SyncTimerPreview } from '../../../shared/contract/sync';
import type { SyncTimerStatus } from '../../../shared/sync-status';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { failoverFixture, type FailoverFixture } from '../failover/fixture';
import { ScriptedRunner, ok, unreachable } from '../checks/runners';

let f: FailoverFixture;
let preview: SyncTimerPreview;
let answer: (server: Server, script: string) => RemoteOutcome;
let runner: ScriptedRunner;
const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** What a member prints after an install: each file's sha256 (as written), the timer, the stamps. */
function installed(server: Server, extra = ''): RemoteOutcome {
  const member = preview.members.find((m) => m.serverId === server.id)!;
  const files = member.files.filter((m) => m.path.startsWith('/')).map((m) => `file=${sha(m.content)} ${m.path}`);
  return ok(['now=1000000', ...files, 'scheduler=active enabled', 'paused=0', extra, 'lifeboat-sync: end'].join('\n'));
}

beforeEach(async () => {
  f = await failoverFixture();
  answer = (server) => installed(server);
  runner = new ScriptedRunner((server, script) => answer(server, script));
  f.ws.ctx.runner = runner;
  preview = await f.ws.ok<SyncTimerPreview>('sync.preview', { groupId: f.groups.files.id, options: {} });
});
afterEach(() => f.ws.cleanup());

const call = (method: string, payload: unknown) => f.ws.dispatcher.dispatch(method as never, payload as never);
const commands = () => listAuditRows(f.ws.db, { limit: 500 }).filter((r) => r.kind === 'intent');

describe('sync timer operations', () => {
  it('refuses a wrong confirmation or files that changed since they were shown, sending nothing', async () => {
    const groupId = f.groups.files.id;
    const wrongName = await call('sync.install', { groupId, options: {}, sha256: preview.sha256, confirmation: 'web' });
    expect(wrongName.ok).toBe(false);
    const other = await call('sync.install', {
      groupId,
      options: { maxDelete: 7 },
      sha256: preview.sha256,
      confirmation: 'files',
    });
    expect(!other.ok && other.error.code).toBe('conflict');
    expect(commands()).toHaveLength(0);
  });

  it('refuses groups that are not rsync pairs', async () => {
    const result = await call('sync.preview', { groupId: f.groups.db.id, options: {} });
    expect(!result.ok && result.error.message).toMatch(/does not keep its data with rsync/);
  });

  it('installs on both members with intent and outcome rows, proven by the sha256 read back', async () => {
    const status = await f.ws.ok<SyncTimerStatus>('sync.install', {
      groupId: f.groups.files.id,
      options: {},
      sha256: preview.sha256,
      confirmation: 'files',
    });
    expect(status.members.map((m) => [m.server, m.state])).toEqual([
      ['files-a', 'installed'],
      ['files-b', 'installed'],
    ]);
    const intents = commands().filter((r) => r.detail.includes('install the scheduled sync'));
    expect(intents.map((r) => r.host).sort()).toEqual(['files-a', 'files-b']);
    expect(intents[0].command).toContain('systemctl enable --now');
    expect(
      listAuditRows(f.ws.db, { limit: 500 }).some(
        (r) => r.kind === 'change' && r.detail.includes('installed the scheduled sync'),
      ),
    ).toBe(true);
  });

  it('an install that does not read back the files it wrote is not installed', async () => {
    const input = { groupId: f.groups.files.id, options: {}, sha256: preview.sha256, confirmation: 'files' };
    answer = (server) =>
      server.name === 'files-b'
        ? ok(`now=1\nfile=${'0'.repeat(64)} /usr/local/sbin/lifeboat-sync-files\nlifeboat-sync: end`)
        : installed(server);
    let result = await call('sync.install', input);
    expect(!result.ok && result.error.message).toMatch(/not proven installed on files-b/);
    answer = (server) => (server.name === 'files-b' ? ok('now=1\nscheduler=active') : installed(server));
    result = await call('sync.install', input);
    expect(!result.ok && result.error.message).toMatch(/files-b \(no complete answer/);
    answer = (server) => (server.name === 'files-b' ? unreachable() : installed(server));
    result = await call('sync.install', input);
    expect(!result.ok && result.error.message).toMatch(/files-b/);
  });

  it('status reads the stamps and gives the actual RPO from the newest good run', async () => {
    const stamp = (prefix: string, start: number, status = 'ok') =>
      [
        `${prefix}.start=${start}`,
        `${prefix}.end=${start + 2}`,
        `${prefix}.bytes=10`,
        `${prefix}.exit=0`,
        `${prefix}.status=${status}`,
        `${prefix}.holder=files-a`,
        `${prefix}.to=files-b 10.77.0.32:22`,
        `${prefix}.interval=300`,
      ].join('\n');
    answer = (server) =>
      server.name === 'files-a'
        ? installed(server, `${stamp('last', 1_000_000 - 600, 'failed')}\n${stamp('good', 1_000_000 - 1200)}`)
        : installed(server, stamp('good', 1_000_000 - 900));
    const status = await f.ws.ok<SyncTimerStatus>('sync.status', { groupId: f.groups.files.id });
    expect(status.actualRpoMinutes).toBe(15);
    expect(status.members[0].last?.status).toBe('failed');
    expect(status.rpoMinutes).toBe(60);
    answer = () => ok('now=1\nfile=abc /etc/x');
    const unknown = await f.ws.ok<SyncTimerStatus>('sync.status', { groupId: f.groups.files.id });
    expect(unknown.members.map((m) => m.state)).toEqual(['unknown', 'unknown']);
    expect(unknown.actualRpoMinutes).toBeNull();
  });

  it('removes only after the confirmation, and only an answer without files counts as removed', async () => {
    const groupId = f.groups.files.id;
    expect((await call('sync.remove', { groupId, confirmation: 'nope' })).ok).toBe(false);
    expect(commands()).toHaveLength(0);
    answer = () =>
      ok('now=1\nmissing=/usr/local/sbin/lifeboat-sync-files\nscheduler=inactive\npaused=0\nlifeboat-sync: end');
    const status = await f.ws.ok<SyncTimerStatus>('sync.remove', { groupId, confirmation: 'files' });
    expect(status.members.map((m) => m.state)).toEqual(['absent', 'absent']);
    expect(commands()[0].command).toContain("rm -rf -- '/var/lib/lifeboat/sync/files'");
    answer = (server) => installed(server);
    expect((await call('sync.remove', { groupId, confirmation: 'files' })).ok).toBe(false);
  });
});
