/**
 * A fake `electron` module, enough to run the shell and the preload without an Electron binary.
 * Each part records what the code under test did with it, and has helpers that play the page or
 * the user: a frame invoking a channel, the page navigating or calling window.open, a response
 * arriving, a permission request, a menu click, a dialog answer.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ShellElectron } from '../../electron/shell/shell';
import {
  FakeDialog,
  FakeMenu,
  FakeSafeStorage,
  FakeShell,
  fakeNotificationClass,
  type FakeNotificationClass,
} from './fake-electron-services';

export * from './fake-electron-services';

/** An Electron event: records preventDefault and carries whatever fields the real one has. */
export class FakeEvent {
  defaultPrevented = false;
  [field: string]: unknown;
  constructor(fields: Record<string, unknown> = {}) {
    Object.assign(this, fields);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** A frame as IPC sees it: its URL and its parent (null for a top frame). */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly mainFrame: FakeFrame = { url: 'about:blank', parent: null };
  /** Everything sent to the page: webContents.send(channel, payload). */
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: WindowOpenHandler | null = null;
  destroyed = false;

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, payload: args[0] });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.mainFrame.url;
  }

  /** The page tries to go to `url` (will-navigate, will-frame-navigate or will-redirect); true if allowed. */
  attemptNavigation(
    url: string,
    kind: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' = 'will-navigate',
  ): boolean {
    const event = new FakeEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame });
    this.emit(kind, event, url, false, true);
    return !event.defaultPrevented;
  }
  /** The page calls window.open(url): the handler's answer ("allow" when there is none, as in Electron). */
  openWindow(url: string): { action: 'allow' | 'deny' } {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }) : { action: 'allow' };
  }
  /** The page adds a <webview>; true if it was allowed to attach. */
  attachWebview(src = 'https://evil.example/'): boolean {
    const event = new FakeEvent();
    this.emit('will-attach-webview', event, { nodeIntegration: true }, { src });
    return !event.defaultPrevented;
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  /** What requestSingleInstanceLock answers: false plays a second instance. */
  singleInstance = true;
  sandboxEnabled = false;
  quitCalls = 0;
  exitCode: number | undefined = undefined;
  /** The open windows, in creation order (BrowserWindow.getAllWindows). */
  readonly windows: FakeBrowserWindow[] = [];
  quitting = false;
  private readonly paths: Record<string, string>;

  constructor(appData: string) {
    super();
    this.paths = { appData, userData: path.join(appData, 'lifeboat') };
  }
  getPath(name: string): string {
    if (!(name in this.paths)) throw new Error(`fake electron: no path "${name}"`);
    return this.paths[name];
  }
  setPath(name: string, value: string): void {
    this.paths[name] = value;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  /** Like Electron's: before-quit, the windows close (no window-all-closed then), will-quit, quit. */
  quit(): void {
    this.quitCalls++;
    this.emit('before-quit', new FakeEvent());
    this.quitting = true;
    for (const win of [...this.windows]) win.close();
    this.quitting = false;
    this.emit('will-quit', new FakeEvent());
    this.emit('quit', new FakeEvent(), 0);
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}

export interface FakeWindowOptions {
  webPreferences?: Record<string, unknown>;
  [option: string]: unknown;
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedFile: string | null = null;
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(
    private readonly app: FakeApp,
    readonly options: FakeWindowOptions,
    private readonly loadError: () => Error | null,
  ) {
    super();
    app.windows.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  async loadFile(file: string): Promise<void> {
    const error = this.loadError();
    if (error) throw error;
    this.loadedFile = file;
    this.webContents.mainFrame.url = pathToFileURL(file).href;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.app.windows.splice(this.app.windows.indexOf(this), 1);
    this.emit('closed');
    if (this.app.windows.length === 0 && !this.app.quitting) this.app.emit('window-all-closed');
  }
}

/** The BrowserWindow class of one fake: `new BrowserWindow(options)`, as the shell calls it. */
export interface FakeBrowserWindowClass {
  new (options: FakeWindowOptions): FakeBrowserWindow;
  getAllWindows(): FakeBrowserWindow[];
  /** Every window created, closed ones included. */
  readonly created: FakeBrowserWindow[];
  /** When set, loadFile rejects with it, as for a page that is not built. */
  loadError: Error | null;
}

type InvokeHandler = (event: FakeEvent, ...args: unknown[]) => unknown;

export class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** A renderer frame invokes a channel, as ipcRenderer.invoke would from that frame. */
  async invokeFrom(frame: unknown, channel: string, payload?: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(new FakeEvent({ senderFrame: frame, frameId: 1, processId: 1 }), payload);
  }
}

export class FakeIpcRenderer extends EventEmitter {
  readonly invocations: { channel: string; payload: unknown }[] = [];
  /** What main answers to invoke. */
  answer: (channel: string, payload: unknown) => unknown = () => ({ ok: true, value: null });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, payload: args[0] });
    return Promise.resolve(this.answer(channel, args[0]));
  }
  /** Main sends an event to this page. */
  deliver(channel: string, payload: unknown): void {
    this.emit(channel, new FakeEvent({ senderId: 0 }), payload);
  }
}

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property "${key}"`);
    this.exposed.set(key, api);
  }
}

type HeadersListener = (
  details: Record<string, unknown>,
  callback: (response: Record<string, unknown>) => void,
) => void;
type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: unknown,
) => void;

export class FakeSession {
  headersListener: HeadersListener | null = null;
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  readonly webRequest = {
    onHeadersReceived: (filterOrListener: unknown, listener?: HeadersListener): void => {
      this.headersListener = (typeof filterOrListener === 'function' ? filterOrListener : listener) as HeadersListener;
    },
  };
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: ((...args: unknown[]) => boolean) | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void {
    this.devicePermissionHandler = handler;
  }
  /** A response arrives; what the listener answered (undefined when there is none: headers untouched). */
  respond(details: {
    url: string;
    resourceType?: string;
    responseHeaders?: Record<string, string[]>;
  }): Promise<Record<string, unknown> | undefined> {
    const listener = this.headersListener;
    if (!listener) return Promise.resolve(undefined);
    return new Promise((resolve) => listener({ resourceType: 'mainFrame', ...details }, resolve));
  }
  /** The page asks for a permission; the answer (Electron grants when there is no handler). */
  requestPermission(permission: string): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(null, permission, resolve, { requestingUrl: 'file:///' }));
  }
}

export interface FakeElectron {
  app: FakeApp;
  BrowserWindow: FakeBrowserWindowClass;
  ipcMain: FakeIpcMain;
  ipcRenderer: FakeIpcRenderer;
  contextBridge: FakeContextBridge;
  session: { defaultSession: FakeSession };
  shell: FakeShell;
  dialog: FakeDialog;
  Menu: FakeMenu;
  Notification: FakeNotificationClass;
  safeStorage: FakeSafeStorage;
}

/** A fresh fake electron module; nothing is shared between two of them. `appData` is Electron's appData folder. */
export function createFakeElectron(options: { appData: string }): FakeElectron {
  const app = new FakeApp(options.appData);
  const created: FakeBrowserWindow[] = [];
  const BrowserWindow = class extends FakeBrowserWindow {
    static readonly created = created;
    static loadError: Error | null = null;
    static getAllWindows(): FakeBrowserWindow[] {
      return [...app.windows];
    }
    constructor(windowOptions: FakeWindowOptions) {
      super(app, windowOptions, () => BrowserWindow.loadError);
      created.push(this);
    }
  };
  return {
    app,
    BrowserWindow,
    ipcMain: new FakeIpcMain(),
    ipcRenderer: new FakeIpcRenderer(),
    contextBridge: new FakeContextBridge(),
    session: { defaultSession: new FakeSession() },
    shell: new FakeShell(),
    dialog: new FakeDialog(),
    Menu: new FakeMenu(),
    Notification: fakeNotificationClass(),
    safeStorage: new FakeSafeStorage(),
  };
}

/** The fake typed as the part of electron the shell takes: a structural subset, not the real types. */
export function asShellElectron(fake: FakeElectron): ShellElectron {
  return fake as unknown as ShellElectron;
}
