/**
 * The Electron shell against a fake electron module and a real workspace: Electron's security
 * checklist (docs/safety.md, "Electron"), the IPC channels generated from the contract, the menu.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createShell, type Shell } from '../../../electron/shell/shell';
import { contentSecurityPolicy } from '../../../electron/host/csp';
import { configuredPdfRenderer } from '../../../electron/plan/pdf';
import { METHOD_NAMES, channelOf } from '../../../shared/contract/index';
import type { Envelope } from '../../../shared/errors';
import {
  asShellElectron,
  createFakeElectron,
  FakeWebContents,
  type FakeElectron,
  type FakeFrame,
} from '../../helpers/fake-electron';
import { tempDir } from '../../helpers/workspace';

let dir: string;
let distDir: string;
let dbPath: string;
let fake: FakeElectron;
let shell: Shell;
let logs: string[];

function start(options: { dbPath?: string } = { dbPath: undefined }): Shell {
  return createShell(asShellElectron(fake), { distDir, ...options, log: (m) => logs.push(m) });
}

const appPage = () => pathToFileURL(path.join(distDir, 'renderer', 'index.html')).href;
const appFrame = (): FakeFrame => ({ url: appPage(), parent: null });
const window = () => fake.BrowserWindow.getAllWindows()[0];

async function call(frame: FakeFrame | null, method: string, payload: unknown = {}): Promise<Envelope<unknown>> {
  return (await fake.ipcMain.invokeFrom(frame, channelOf(method as never), payload)) as Envelope<unknown>;
}

async function snapshot(): Promise<unknown> {
  const envelope = await call(appFrame(), 'workspace.snapshot');
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value;
}

beforeEach(async () => {
  dir = tempDir('lifeboat-shell-');
  distDir = path.join(dir, 'dist');
  dbPath = path.join(dir, 'workspace.db');
  logs = [];
  fake = createFakeElectron({ appData: path.join(dir, 'appData') });
  shell = start({ dbPath });
  await shell.ready;
});

afterEach(() => {
  shell.dispose();
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the console window', () => {
  it('is created with context isolation, the sandbox, no Node integration, web security and the bundled preload', () => {
    expect(fake.BrowserWindow.created).toHaveLength(1);
    const prefs = window().options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: path.join(distDir, 'electron', 'preload.cjs'),
    });
    expect(fake.app.sandboxEnabled).toBe(true);
  });

  it('loads the built page from its file and shows it once it is ready', () => {
    expect(window().loadedFile).toBe(path.join(distDir, 'renderer', 'index.html'));
    expect(window().visible).toBe(false);
    window().emit('ready-to-show');
    expect(window().visible).toBe(true);
  });

  it('opens the workspace given to it', async () => {
    expect(fs.existsSync(dbPath)).toBe(true);
    const info = await call(appFrame(), 'workspace.info');
    expect(info).toMatchObject({ ok: true, value: { path: dbPath } });
  });

  it('opens userData/workspace.db by default, with userData pinned to the product name', async () => {
    shell.dispose();
    fake = createFakeElectron({ appData: path.join(dir, 'appData') });
    shell = start();
    await shell.ready;
    expect(fake.app.getPath('userData')).toBe(path.join(dir, 'appData', 'Lifeboat'));
    expect(fs.existsSync(path.join(dir, 'appData', 'Lifeboat', 'workspace.db'))).toBe(true);
  });
});

describe('IPC', () => {
  it('registers one channel per contract method and no other channel', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
    expect(fake.ipcMain.eventNames()).toEqual([]);
  });

  it('refuses calls that do not come from the app page, and runs nothing', async () => {
    const before = await snapshot();
    const strangers: (FakeFrame | null)[] = [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/evil.html', parent: null },
      { url: `${appPage()}?x=1`, parent: null },
      { url: appPage(), parent: appFrame() },
      null,
    ];
    for (const frame of strangers) {
      const answer = await call(frame, 'workspace.create', { template: 'example' });
      expect(answer).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(await snapshot()).toEqual(before);
    expect(window().webContents.sent).toEqual([]);
  });

  it('answers an invalid payload with invalid_input and the path of the bad field', async () => {
    const answer = await call(appFrame(), 'servers.save', { name: 'web-c', ssh: { host: '192.0.2.13', port: 70000 } });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('invalid_input');
    expect(answer.error.issues?.map((i) => i.path)).toContainEqual(['ssh', 'port']);
    expect(answer.error.message).toMatch(/^ssh\.port: /);
  });

  it('runs trusted calls and tells the window the workspace changed', async () => {
    const answer = await call(appFrame(), 'workspace.create', { template: 'example' });
    expect(answer.ok).toBe(true);
    expect(window().webContents.sent).toEqual([
      { channel: channelOf('workspace.changed'), payload: { method: 'workspace.create', revision: 1 } },
    ]);
  });

  it('on quit removes every handler and closes the workspace', () => {
    const close = vi.spyOn(Database.prototype, 'close');
    fake.app.quit();
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(close).toHaveBeenCalledTimes(1);
    shell.dispose();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('prints plan PDFs through Electron while open, and puts the previous printer back on quit', () => {
    expect(configuredPdfRenderer()?.name).toBe('electron');
    fake.app.quit();
    expect(configuredPdfRenderer()).toBeNull();
  });

  it('runs monitoring while open, and on quit stops it and closes every SSH connection', async () => {
    const live = shell.live()!;
    expect(live).not.toBeNull();
    expect((await call(appFrame(), 'monitoring.set', { enabled: true })).ok).toBe(true);
    expect(live.monitor.scheduler.isRunning).toBe(true);
    const pool = vi.spyOn(live.runtime.pool, 'dispose');
    fake.app.quit();
    expect(live.monitor.scheduler.isRunning).toBe(false);
    expect(pool).toHaveBeenCalledTimes(1);
    expect(shell.live()).toBeNull();
  });
});

describe('navigation and new windows', () => {
  it('refuses navigation and redirects away from the app page', () => {
    const contents = window().webContents;
    expect(contents.attemptNavigation('https://evil.example/')).toBe(false);
    expect(contents.attemptNavigation('file:///etc/passwd')).toBe(false);
    expect(contents.attemptNavigation('https://evil.example/', 'will-redirect')).toBe(false);
    expect(contents.attemptNavigation('https://evil.example/', 'will-frame-navigate')).toBe(false);
    expect(contents.attemptNavigation(`${appPage()}#/servers`)).toBe(true);
  });

  it('denies window.open and hands only allowlisted https links to the system browser', () => {
    const contents = window().webContents;
    const refused = [
      'https://evil.example/',
      'http://github.com/',
      'https://github.com.evil.example/',
      'https://user@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ];
    for (const url of [...refused, 'https://github.com/lifeboat'])
      expect(contents.openWindow(url)).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual(['https://github.com/lifeboat']);
  });

  it('guards contents created later too: no navigation, no window.open, no webview', () => {
    const later = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, later);
    expect(later.attemptNavigation('https://evil.example/')).toBe(false);
    expect(later.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(later.attachWebview()).toBe(false);
    expect(window().webContents.attachWebview()).toBe(false);
  });
});

describe('the session', () => {
  it('denies every permission request and check', async () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      expect(await fake.session.defaultSession.requestPermission(permission)).toBe(false);
    }
    expect(fake.session.defaultSession.permissionCheckHandler?.(null, 'clipboard-read', 'file:///', {})).toBe(false);
    expect(fake.session.defaultSession.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
  });

  it('puts the strict CSP on every response, replacing any other', async () => {
    const answer = await fake.session.defaultSession.respond({
      url: appPage(),
      responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"], 'X-Other': ['kept'] },
    });
    const headers = answer?.responseHeaders as Record<string, string[]>;
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy()]);
    expect(headers['Content-Security-Policy'][0]).toContain("default-src 'none'");
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['X-Other']).toEqual(['kept']);
  });
});

describe('the File menu', () => {
  const click = (id: string) => {
    const item = fake.Menu.item(id);
    if (!item?.click) throw new Error(`no menu item ${id}`);
    item.click();
  };

  it('Export plan file… writes the plan file where the admin chose', async () => {
    await call(appFrame(), 'workspace.create', { template: 'example' });
    const file = path.join(dir, 'plan.yaml');
    fake.dialog.saveAnswers.push({ canceled: false, filePath: file });
    click('export-plan');
    await vi.waitFor(() => expect(fs.existsSync(file)).toBe(true));
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^lifeboat: 1/m);
    expect(fs.readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('Import plan file… replaces the workspace once the admin confirms', async () => {
    await call(appFrame(), 'workspace.create', { template: 'example' });
    const example = await snapshot();
    const exported = await call(appFrame(), 'workspace.exportPlan');
    const file = path.join(dir, 'plan.yaml');
    fs.writeFileSync(file, (exported as { value: { yaml: string } }).value.yaml);
    await call(appFrame(), 'workspace.create', { template: 'empty' });

    fake.dialog.openAnswers.push({ canceled: false, filePaths: [file] });
    fake.dialog.messageBoxAnswers.push({ response: 0 });
    click('import-plan');
    await vi.waitFor(() => expect(fake.dialog.calls.filter((c) => c.kind === 'message')).toHaveLength(2));
    const names = (value: unknown) => (value as { servers: { name: string }[] }).servers.map((s) => s.name);
    expect(names(await snapshot())).toEqual(names(example));
    expect(names(example).length).toBeGreaterThan(0);
    expect(fake.dialog.errors).toEqual([]);
  });

  it('Import plan file… changes nothing when the admin cancels the confirmation', async () => {
    const file = path.join(dir, 'plan.yaml');
    fs.writeFileSync(file, 'lifeboat: 1\n');
    const before = await snapshot();
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [file] });
    fake.dialog.messageBoxAnswers.push({ response: 1 });
    click('import-plan');
    await vi.waitFor(() => expect(fake.dialog.calls.map((c) => c.kind)).toEqual(['open', 'message']));
    expect(await snapshot()).toEqual(before);
    expect(window().webContents.sent).toEqual([]);
  });

  it('Import plan file… shows why a bad plan file was refused, and changes nothing', async () => {
    await call(appFrame(), 'workspace.create', { template: 'example' });
    const before = await snapshot();
    const file = path.join(dir, 'plan.yaml');
    fs.writeFileSync(file, 'lifeboat: 99\ncompany: {}\n');
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [file] });
    fake.dialog.messageBoxAnswers.push({ response: 0 });
    click('import-plan');
    await vi.waitFor(() => expect(fake.dialog.errors).toHaveLength(1));
    expect(fake.dialog.errors[0].title).toBe('The plan file was not imported');
    expect(fake.dialog.errors[0].content).toContain('The workspace was not changed.');
    expect(await snapshot()).toEqual(before);
  });
});

describe('lifecycle', () => {
  it('a second instance quits at once: no window, no channel, no workspace opened', async () => {
    shell.dispose();
    fake = createFakeElectron({ appData: path.join(dir, 'appData2') });
    fake.app.singleInstance = false;
    const second = path.join(dir, 'second.db');
    shell = start({ dbPath: second });
    await shell.ready;
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.BrowserWindow.created).toEqual([]);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(fs.existsSync(second)).toBe(false);
  });

  it('a second launch brings the existing window back', () => {
    window().minimized = true;
    fake.app.emit('second-instance', {}, [], dir);
    expect(window().minimized).toBe(false);
    expect(window().focused).toBe(true);
  });

  it('a damaged workspace file is reported in a message box and the app exits', async () => {
    shell.dispose();
    fake = createFakeElectron({ appData: path.join(dir, 'appData3') });
    const damaged = path.join(dir, 'damaged.db');
    fs.writeFileSync(damaged, 'this is not a database'.repeat(200));
    shell = start({ dbPath: damaged });
    await shell.ready;
    expect(fake.dialog.errors).toHaveLength(1);
    expect(fake.dialog.errors[0].title).toBe('Lifeboat could not start');
    expect(fake.app.exitCode).toBe(1);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('a missing page is reported with the way to build it, and the app exits', async () => {
    shell.dispose();
    fake = createFakeElectron({ appData: path.join(dir, 'appData4') });
    fake.BrowserWindow.loadError = new Error('ERR_FILE_NOT_FOUND (-6)');
    shell = start({ dbPath });
    await shell.ready;
    expect(fake.dialog.errors[0].content).toContain('npm run build');
    expect(fake.app.exitCode).toBe(1);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});
