/**
 * The SMTP password for alert mail: stored through the contract into a safeStorage-backed store in
 * the app (refused where Linux has no keyring), never returned or audited; read from a 0600 file or
 * a variable by `serve`, a file others can read refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileOrEnvAlertSecrets, passwordSourcesFromEnv } from '../../../electron/checks/alert-secrets';
import { startLiveHost, type LiveHost } from '../../../electron/live';
import { safeStorageAlertSecrets } from '../../../electron/shell/secret-store';
import type { AlertSettings } from '../../../shared/checks';
import { FakeSafeStorage } from '../../helpers/fake-electron';
import { openTempWorkspace, tempDir, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace | undefined;
let live: LiveHost | undefined;
let dir: string | undefined;
afterEach(async () => {
  await live?.dispose();
  ws?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  ws = live = dir = undefined;
});

describe('the SMTP password in the app', () => {
  it('is kept encrypted by safeStorage, shown only as stored, and the audit row does not carry it', async () => {
    ws = openTempWorkspace();
    const safeStorage = new FakeSafeStorage();
    const secrets = safeStorageAlertSecrets(ws.db, safeStorage, 'linux');
    live = startLiveHost(ws, { alertSecrets: secrets });
    const stored = await ws.ok<{ stored: boolean; where: string }>('alerts.smtpPassword.set', {
      password: 'M365-app-pw',
    });
    expect(stored).toEqual({ stored: true, where: 'the OS keyring (Electron safeStorage)' });
    expect(safeStorage.encrypted).toEqual(['M365-app-pw']);
    const raw = ws.db.prepare('SELECT encrypted FROM alert_secrets').get() as { encrypted: Buffer };
    expect(raw.encrypted.toString('utf8')).not.toContain('M365-app-pw');
    expect(await secrets.smtpPassword()).toBe('M365-app-pw');
    const settings = await ws.ok<AlertSettings>('alerts.settings.get');
    expect(settings.smtpPassword).toEqual({ stored: true, where: 'the OS keyring (Electron safeStorage)' });
    const audit = await ws.ok<{ detail: string }[]>('audit.list', { limit: 3 });
    expect(audit[0].detail).toContain('stored the SMTP password');
    expect(JSON.stringify([settings, audit])).not.toContain('M365-app-pw');
    await ws.ok('alerts.smtpPassword.clear');
    expect(await secrets.smtpPassword()).toBeNull();
  });

  it('is refused where Linux has no keyring (basic_text), and nothing is stored', async () => {
    ws = openTempWorkspace();
    const safeStorage = new FakeSafeStorage();
    safeStorage.backend = 'basic_text';
    live = startLiveHost(ws, { alertSecrets: safeStorageAlertSecrets(ws.db, safeStorage, 'linux') });
    const refused = await ws.dispatcher.dispatch('alerts.smtpPassword.set', { password: 'pw' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('no keyring') },
    });
    expect(safeStorage.encrypted).toEqual([]);
    expect(ws.db.prepare('SELECT count(*) AS n FROM alert_secrets').get()).toEqual({ n: 0 });
  });
});

describe('the SMTP password for serve', () => {
  it('comes from a 0600 file before the variable, and a file others can read is refused', async () => {
    dir = tempDir();
    const file = path.join(dir, 'smtp-password');
    fs.writeFileSync(file, 'from-file\n', { mode: 0o600 });
    const sources = passwordSourcesFromEnv({ LIFEBOAT_SMTP_PASSWORD_FILE: file, LIFEBOAT_SMTP_PASSWORD: 'from-env' });
    const secrets = fileOrEnvAlertSecrets(sources);
    expect(await secrets.smtpPassword()).toBe('from-file');
    expect(secrets.where()).toBe(`the file ${file}`);
    expect(secrets.storeRefusal()).toContain('LIFEBOAT_SMTP_PASSWORD_FILE');
    fs.chmodSync(file, 0o644);
    await expect(secrets.smtpPassword()).rejects.toThrow('can be read by others');
    expect(secrets.hasSmtpPassword()).toBe(false);
    const fromEnv = fileOrEnvAlertSecrets(passwordSourcesFromEnv({ LIFEBOAT_SMTP_PASSWORD: 'from-env' }));
    expect(await fromEnv.smtpPassword()).toBe('from-env');
    const none = fileOrEnvAlertSecrets(passwordSourcesFromEnv({}));
    expect(await none.smtpPassword()).toBeNull();
    expect(none.where()).toContain('nowhere yet');
  });
});
