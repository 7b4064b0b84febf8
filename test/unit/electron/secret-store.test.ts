/**
 * SSH passwords in the Electron shell (fake electron module, real workspace): kept only as
 * safeStorage blobs in the workspace, never answered back to the window, and refused where
 * safeStorage has no real keyring (encryption unavailable, or Linux's basic_text backend).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { createShell, type Shell } from '../../../electron/shell/shell';
import { safeStorageRefusal, safeStorageSecrets } from '../../../electron/shell/secret-store';
import { channelOf } from '../../../shared/contract/index';
import type { Server } from '../../../shared/domain';
import type { Envelope } from '../../../shared/errors';
import { asShellElectron, createFakeElectron, FakeSafeStorage, type FakeElectron } from '../../helpers/fake-electron';
import { tempDir } from '../../helpers/workspace';

const PASSWORD = 'correct horse battery staple';

let dir: string;
let dbPath: string;
let fake: FakeElectron;
let shell: Shell;

async function call(method: string, payload: unknown = {}): Promise<Envelope<unknown>> {
  const frame = { url: pathToFileURL(path.join(dir, 'dist', 'renderer', 'index.html')).href, parent: null };
  return (await fake.ipcMain.invokeFrom(frame, channelOf(method as never), payload)) as Envelope<unknown>;
}

async function passwordServer(): Promise<Server> {
  const envelope = await call('servers.save', {
    name: 'pbx',
    ssh: { host: '192.0.2.40', user: 'admin', auth: { kind: 'password' } },
  });
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value as Server;
}

const storedRows = () => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare<[], { account: string; encrypted: Buffer }>('SELECT account, encrypted FROM ssh_passwords').all();
  } finally {
    db.close();
  }
};

beforeEach(() => {
  dir = tempDir('lifeboat-secrets-');
  dbPath = path.join(dir, 'workspace.db');
  fake = createFakeElectron({ appData: path.join(dir, 'appData') });
});
afterEach(() => {
  shell.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startShell(): Promise<void> {
  shell = createShell(asShellElectron(fake), { distDir: path.join(dir, 'dist'), dbPath, log: () => {} });
  await shell.ready;
}

describe('SSH passwords in the desktop app', () => {
  it('are stored only as safeStorage blobs, and no answer carries the password', async () => {
    await startShell();
    const pbx = await passwordServer();
    const answer = await call('hosts.setPassword', { serverId: pbx.id, password: PASSWORD });
    expect(answer).toEqual({ ok: true, value: { serverId: pbx.id, account: 'admin@192.0.2.40:22', stored: true } });
    expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    expect(fake.safeStorage.encrypted).toEqual([PASSWORD]);
    const rows = storedRows();
    expect(rows).toHaveLength(1);
    expect(rows[0].account).toBe('ssh:admin@192.0.2.40:22');
    expect(rows[0].encrypted.includes(Buffer.from(PASSWORD))).toBe(false);
    expect(fake.safeStorage.decryptString(rows[0].encrypted)).toBe(PASSWORD);
    // Nothing the window can read holds it: the snapshot, the pins, the plan file.
    for (const method of ['workspace.snapshot', 'hosts.pins', 'workspace.exportPlan'])
      expect(JSON.stringify(await call(method))).not.toContain(PASSWORD);
    // Every event the window was sent is free of it too.
    expect(JSON.stringify(fake.BrowserWindow.getAllWindows()[0].webContents.sent)).not.toContain(PASSWORD);
  });

  it('can be cleared', async () => {
    await startShell();
    const pbx = await passwordServer();
    await call('hosts.setPassword', { serverId: pbx.id, password: PASSWORD });
    expect(await call('hosts.clearPassword', { serverId: pbx.id })).toEqual({
      ok: true,
      value: { serverId: pbx.id, account: 'admin@192.0.2.40:22', stored: false },
    });
    expect(storedRows()).toEqual([]);
  });

  it('are refused where safeStorage cannot encrypt, and nothing is stored', async () => {
    fake.safeStorage.available = false;
    await startShell();
    const pbx = await passwordServer();
    const answer = await call('hosts.setPassword', { serverId: pbx.id, password: PASSWORD });
    expect(answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!answer.ok && answer.error.message).toContain('encryption is not available');
    expect(storedRows()).toEqual([]);
  });

  it('are refused on Linux when safeStorage would use its hard-coded key (basic_text: no keyring)', async () => {
    const storage = new FakeSafeStorage();
    storage.backend = 'basic_text';
    expect(safeStorageRefusal(storage, 'linux')).toMatch(/no keyring/);
    expect(safeStorageRefusal(storage, 'darwin')).toBeNull();
    fake.safeStorage.backend = 'basic_text';
    await startShell();
    const pbx = await passwordServer();
    const answer = await call('hosts.setPassword', { serverId: pbx.id, password: PASSWORD });
    if (process.platform === 'linux') {
      expect(answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(!answer.ok && answer.error.message).toContain('no keyring');
      expect(storedRows()).toEqual([]);
      expect(fake.safeStorage.encrypted).toEqual([]);
    } else {
      expect(answer.ok).toBe(true);
    }
  });

  it('are refused with the field that is wrong: empty, too long, for a key-file server, for no server', async () => {
    await startShell();
    const pbx = await passwordServer();
    const keyServer = (await call('servers.save', {
      name: 'web-a',
      ssh: { host: '192.0.2.11', auth: { kind: 'key', keyPath: '/root/.ssh/id_ed25519' } },
    })) as Envelope<Server>;
    const web = keyServer.ok ? keyServer.value : null;
    const refusals = [
      [{ serverId: pbx.id, password: '' }, 'password'],
      [{ serverId: pbx.id, password: 'x'.repeat(1025) }, 'password'],
      [{ serverId: pbx.id, password: 'a\0b' }, 'password'],
      [{ serverId: pbx.id }, 'password'],
      [{ serverId: web?.id, password: PASSWORD }, 'serverId'],
      [{ serverId: 9999, password: PASSWORD }, 'serverId'],
    ] as const;
    for (const [payload, field] of refusals) {
      const answer = await call('hosts.setPassword', payload);
      expect(answer.ok).toBe(false);
      expect(!answer.ok && answer.error.issues?.[0].path).toEqual([field]);
      expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    }
    expect(storedRows()).toEqual([]);
  });

  it('cannot be read back where the keyring went away; the error says so', async () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const storage = new FakeSafeStorage();
    const store = safeStorageSecrets(db, storage, 'linux');
    await store.setPassword('ssh:admin@192.0.2.40:22', PASSWORD);
    expect(await store.getPassword('ssh:admin@192.0.2.40:22')).toBe(PASSWORD);
    storage.backend = 'basic_text';
    expect(store.isSecure()).toBe(false);
    await expect(store.getPassword('ssh:admin@192.0.2.40:22')).rejects.toThrow(
      /cannot be read: this Linux desktop has no keyring/,
    );
    db.close();
  });
});

describe('migration 0006', () => {
  it('adds ssh_passwords for encrypted blobs only and sets user_version to 6', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    const insert = db.prepare('INSERT INTO ssh_passwords (account, encrypted, updated_at) VALUES (?, ?, ?)');
    insert.run('ssh:root@192.0.2.1:22', Buffer.from([1, 2, 3]), 'now');
    expect(() => insert.run('root@192.0.2.1:22', Buffer.from([1]), 'now')).toThrow(/CHECK constraint/);
    expect(() => insert.run('ssh:root@192.0.2.2:22', Buffer.alloc(0), 'now')).toThrow(/CHECK constraint/);
    expect(() => insert.run('ssh:root@192.0.2.3:22', 'plain text', 'now')).toThrow(
      /cannot store TEXT value in BLOB column/,
    );
    db.close();
  });
});
