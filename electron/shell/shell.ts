/**
 * The Electron shell: one workspace, one dispatcher, IPC generated from the contract, one window
 * locked down per Electron's security checklist, and the application menu. It takes the electron
 * module as an argument so tests can run it against a fake one.
 */
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { openApp, type App } from '../app';
import { startLiveHost, type LiveHost } from '../live';
import { contentSecurityPolicy } from '../host/csp';
import { registerIpc } from '../host/ipc';
import { applicationMenu } from './menu';
import { shellPaths, type ShellOptions } from './options';
import { desktopNotifier } from './notifications';
import { exportPlanFile, importPlanFile } from './plan-files';
import { appFrameCheck, appUrlMatcher, applySessionPolicy, guardWebContents } from './policy';
import { safeStorageAlertSecrets, safeStorageSecrets } from './secret-store';
import { useElectronPdf, type ElectronForPdf } from '../plan/pdf-electron';
import { mainWindowOptions } from './window';

/** The parts of the electron module the shell uses. */
export type ShellElectron = Pick<
  typeof import('electron'),
  'app' | 'BrowserWindow' | 'ipcMain' | 'session' | 'shell' | 'dialog' | 'Menu' | 'Notification' | 'safeStorage'
>;

export interface Shell {
  /** Settles when the window is loaded, or when startup failed and the app is exiting. */
  ready: Promise<void>;
  /** The SSH engine and monitoring of the open workspace, once it is open. */
  live(): LiveHost | null;
  /** Remove the IPC handlers, stop monitoring, close SSH and the workspace; runs on quit, safe to call twice. */
  dispose(): void;
}

// userData is pinned to the product name so a development run (`electron .`, named after
// package.json's "lifeboat") and the installed app ("Lifeboat") open the same workspace.
const PRODUCT_NAME = 'Lifeboat';

/** Wire the app's lifecycle; the workspace opens and the window appears once Electron is ready. */
export function createShell(electron: ShellElectron, options: ShellOptions): Shell {
  const { app, BrowserWindow, ipcMain, session, shell, dialog, Menu, Notification, safeStorage } = electron;
  const log = options.log ?? ((message: string) => console.error(message));
  const paths = shellPaths(options.distDir);
  const isAppUrl = appUrlMatcher(paths.rendererIndex);
  const contentsPolicy = { isAppUrl, openExternal: (url: string) => shell.openExternal(url), log };
  const cleanups: (() => void)[] = [];
  let workspace: App | null = null;
  let live: LiveHost | null = null;
  let mainWindow: BrowserWindow | null = null;
  let disposed = false;

  function dispose(): void {
    if (disposed) return;
    disposed = true;
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    // The scheduler's timer stops and every SSH connection closes now; a sweep in flight records nothing.
    void live?.dispose();
    live = null;
    workspace?.dispose();
    workspace = null;
  }

  function fatal(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    log(`Lifeboat could not start: ${message}`);
    dialog.showErrorBox('Lifeboat could not start', message);
    dispose();
    app.exit(1);
  }

  function reportError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    log(message);
    dialog.showErrorBox('Lifeboat', message);
  }

  async function openWindow(): Promise<void> {
    const win = new BrowserWindow(mainWindowOptions(paths.preload));
    mainWindow = win;
    guardWebContents(win.webContents, contentsPolicy);
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    await win.loadFile(paths.rendererIndex).catch((error: Error) => {
      throw new Error(
        `Cannot load the console page ${paths.rendererIndex} (${error.message}). Build it with \`npm run build\`.`,
      );
    });
  }

  /** Bring the window forward, or open it again (macOS keeps running with no window). */
  function showWindow(): void {
    if (!mainWindow) {
      if (workspace) openWindow().catch(reportError);
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }

  async function start(): Promise<void> {
    const dbPath = options.dbPath ?? path.join(app.getPath('userData'), 'workspace.db');
    workspace = openApp(dbPath, log);
    const dispatcher = workspace.dispatcher;
    live = startLiveHost(workspace, {
      notify: desktopNotifier(Notification, log, showWindow),
      secrets: safeStorageSecrets(workspace.db, safeStorage),
      alertSecrets: safeStorageAlertSecrets(workspace.db, safeStorage),
      log,
    });
    applySessionPolicy(session.defaultSession, contentSecurityPolicy());
    // Plan PDFs print through Electron's own printToPDF in the app (no system Chromium needed).
    cleanups.push(useElectronPdf({ BrowserWindow: BrowserWindow as unknown as ElectronForPdf['BrowserWindow'] }));
    cleanups.push(
      registerIpc(ipcMain, dispatcher, appFrameCheck(isAppUrl), {
        targets: () => BrowserWindow.getAllWindows().map((win) => win.webContents),
        log,
      }),
    );
    const planFiles = { dialog, dispatcher, window: () => mainWindow };
    const menu = applicationMenu(
      {
        exportPlan: () => void exportPlanFile(planFiles).catch(reportError),
        importPlan: () => void importPlanFile(planFiles).catch(reportError),
      },
      { platform: process.platform, devTools: !app.isPackaged },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
    await openWindow();
  }

  // Before ready: Chromium keeps its profile (and the single-instance lock) in userData.
  app.setPath('userData', path.join(app.getPath('appData'), PRODUCT_NAME));
  if (!app.requestSingleInstanceLock()) {
    log('Lifeboat is already running: switching to its window.');
    app.quit();
    return { ready: Promise.resolve(), live: () => live, dispose };
  }
  app.enableSandbox();
  // Every webContents, present and future, gets the same guards (the window's included).
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, contentsPolicy));
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => dispose());

  const ready = app.whenReady().then(start).catch(fatal);
  return { ready, live: () => live, dispose };
}
