/**
 * The fake `electron` module's OS-facing parts: shell, dialogs, the menu, notifications and
 * safeStorage, each recording what the code under test did and able to play the user or the OS.
 */
import { EventEmitter } from 'node:events';

export class FakeShell {
  readonly opened: string[] = [];
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
}

export interface FakeDialogCall {
  kind: 'save' | 'open' | 'message';
  options: Record<string, unknown>;
}

// The options are the last argument whether or not a window comes first.
const dialogOptions = (args: unknown[]) => args[args.length - 1] as Record<string, unknown>;

/** Dialogs answer from queues the test fills; an empty queue answers "cancelled". */
export class FakeDialog {
  readonly calls: FakeDialogCall[] = [];
  readonly errors: { title: string; content: string }[] = [];
  readonly saveAnswers: { canceled: boolean; filePath?: string }[] = [];
  readonly openAnswers: { canceled: boolean; filePaths: string[] }[] = [];
  readonly messageBoxAnswers: { response: number }[] = [];

  async showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    this.calls.push({ kind: 'save', options: dialogOptions(args) });
    return this.saveAnswers.shift() ?? { canceled: true, filePath: '' };
  }
  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.calls.push({ kind: 'open', options: dialogOptions(args) });
    return this.openAnswers.shift() ?? { canceled: true, filePaths: [] };
  }
  async showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const options = dialogOptions(args);
    this.calls.push({ kind: 'message', options });
    const answer = this.messageBoxAnswers.shift() ?? { response: (options.cancelId as number | undefined) ?? 0 };
    return { checkboxChecked: false, ...answer };
  }
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  }
}

export interface FakeMenuItem {
  id?: string;
  label?: string;
  role?: string;
  type?: string;
  submenu?: FakeMenuItem[];
  click?: () => void;
}

export class FakeMenu {
  applicationMenu: { items: FakeMenuItem[] } | null = null;
  buildFromTemplate(template: FakeMenuItem[]): { items: FakeMenuItem[] } {
    return { items: template };
  }
  setApplicationMenu(menu: { items: FakeMenuItem[] } | null): void {
    this.applicationMenu = menu;
  }
  /** The application menu's item with this id, searched through every submenu. */
  item(id: string): FakeMenuItem | undefined {
    const search = (items: FakeMenuItem[]): FakeMenuItem | undefined => {
      for (const item of items) {
        if (item.id === id) return item;
        const inner = item.submenu && search(item.submenu);
        if (inner) return inner;
      }
      return undefined;
    };
    return this.applicationMenu ? search(this.applicationMenu.items) : undefined;
  }
}

/** A shown or created desktop notification; `click()` plays the user clicking it. */
export interface FakeNotificationRecord {
  options: { title?: string; body?: string; [option: string]: unknown };
  shown: boolean;
  click(): void;
}

/** Electron's Notification: records every one created and whether it was shown. */
export interface FakeNotificationClass {
  new (options: FakeNotificationRecord['options']): { show(): void; on(event: string, listener: () => void): unknown };
  isSupported(): boolean;
  /** What isSupported answers. */
  supported: boolean;
  readonly created: FakeNotificationRecord[];
}

export function fakeNotificationClass(): FakeNotificationClass {
  const created: FakeNotificationRecord[] = [];
  return class FakeNotification extends EventEmitter {
    static supported = true;
    static readonly created = created;
    static isSupported(): boolean {
      return FakeNotification.supported;
    }
    private readonly record: FakeNotificationRecord;
    constructor(options: FakeNotificationRecord['options']) {
      super();
      this.record = { options, shown: false, click: () => this.emit('click', {}) };
      created.push(this.record);
    }
    show(): void {
      this.record.shown = true;
    }
  };
}

/**
 * Electron's safeStorage: "encrypts" reversibly with a marker so a test can tell a blob from the
 * plain text; `available` and `backend` play a machine with or without a real keyring.
 */
export class FakeSafeStorage {
  available = true;
  /** What getSelectedStorageBackend answers on Linux ('basic_text' is no keyring at all). */
  backend: string = 'gnome_libsecret';
  readonly encrypted: string[] = [];
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(text: string): Buffer {
    if (!this.available)
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.',
      );
    this.encrypted.push(text);
    return Buffer.concat([Buffer.from('fake-v10:'), Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)]);
  }
  decryptString(blob: Buffer): string {
    if (!this.available)
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.',
      );
    const prefix = Buffer.from('fake-v10:');
    if (!blob.subarray(0, prefix.length).equals(prefix))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(blob.subarray(prefix.length).map((b) => b ^ 0x5a)).toString('utf8');
  }
}
