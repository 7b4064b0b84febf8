/**
 * Credentials stay in the main process (docs/safety.md, invariant 6): key files are read by path and
 * decrypted keys are cached in memory only; passwords come from a SecretStore that refuses to
 * work without a real keyring; the agent is reached through SSH_AUTH_SOCK.
 */
import fs from 'node:fs/promises';
import { utils, type AnyAuthMethod, type KeyboardInteractiveCallback, type ParsedKey, type Prompt } from 'ssh2';
import { SshError } from './errors';
import { passwordAccount, type Endpoint } from './endpoint';

/** Asked for the passphrase of an encrypted key; null means the operator declined. */
export type PassphraseProvider = (request: { keyPath: string; attempt: number }) => Promise<string | null>;

/**
 * Where SSH passwords are kept. The app's implementation wraps Electron safeStorage and reports
 * `isSecure() === false` where safeStorage falls back to plain text (no real keyring).
 */
export interface SecretStore {
  isSecure(): boolean;
  /** Why passwords are refused here, in words, when isSecure() is false. */
  refusal?(): string;
  getPassword(account: string): Promise<string | null>;
  setPassword(account: string, password: string): Promise<void>;
  deletePassword(account: string): Promise<boolean>;
}

/** A SecretStore in memory, for tests (or a session that must not persist anything). */
export class MemorySecretStore implements SecretStore {
  private readonly passwords = new Map<string, string>();

  constructor(private readonly secure = true) {}

  isSecure(): boolean {
    return this.secure;
  }

  async getPassword(account: string): Promise<string | null> {
    return this.passwords.get(account) ?? null;
  }

  async setPassword(account: string, password: string): Promise<void> {
    this.passwords.set(account, password);
  }

  async deletePassword(account: string): Promise<boolean> {
    return this.passwords.delete(account);
  }
}

/** A store that keeps nothing and refuses every password, saying why (headless hosts, the CLI). */
export function refusingSecretStore(reason: string): SecretStore {
  return {
    isSecure: () => false,
    refusal: () => reason,
    getPassword: async () => null,
    setPassword: async () => {
      throw new SshError('no_keyring', `the password was not stored: ${reason}`);
    },
    deletePassword: async () => false,
  };
}

/** The store used until the app provides one: it holds nothing and refuses password auth. */
export const NO_SECRET_STORE: SecretStore = refusingSecretStore(
  'this process has no secure keyring (only the Lifeboat desktop app keeps SSH passwords, through Electron safeStorage); log in with a key file or the SSH agent',
);

/** Private key files are small; anything bigger is not one. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

interface CachedKey {
  key: ParsedKey;
  mtimeMs: number;
  size: number;
}

/** Reads key files, asks for a passphrase once, and keeps the decrypted key in memory. */
export class KeyFileCache {
  private readonly keys = new Map<string, CachedKey>();
  private readonly loading = new Map<string, Promise<ParsedKey>>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly passphrases: PassphraseProvider | null = null) {}

  /** The usable private key at a path; concurrent callers share one read and one prompt. */
  async load(keyPath: string): Promise<ParsedKey> {
    const stat = await fs.stat(keyPath).catch((error: NodeJS.ErrnoException) => {
      throw new SshError('key_unreadable', `cannot read the key file ${keyPath}: ${error.code ?? error.message}`);
    });
    const cached = this.keys.get(keyPath);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.key;
    let pending = this.loading.get(keyPath);
    if (!pending) {
      pending = this.read(keyPath).finally(() => this.loading.delete(keyPath));
      this.loading.set(keyPath, pending);
    }
    return pending;
  }

  /** Drop every decrypted key (for example when the app locks). */
  clear(): void {
    this.keys.clear();
  }

  private async read(keyPath: string): Promise<ParsedKey> {
    const stat = await fs.stat(keyPath);
    if (!stat.isFile()) throw new SshError('key_unreadable', `${keyPath} is not a file`);
    if (stat.size > MAX_KEY_FILE_BYTES)
      throw new SshError('key_malformed', `${keyPath} is ${stat.size} bytes: too big to be a private key`);
    const data = await fs.readFile(keyPath).catch((error: NodeJS.ErrnoException) => {
      throw new SshError('key_unreadable', `cannot read the key file ${keyPath}: ${error.code ?? error.message}`);
    });
    let parsed = utils.parseKey(data);
    if (parsed instanceof Error && /no passphrase given/i.test(parsed.message)) {
      parsed = await this.decrypt(keyPath, data);
    }
    if (parsed instanceof Error)
      throw new SshError('key_malformed', `${keyPath} is not a private key ssh2 can read (${parsed.message})`);
    const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
    if (!key.isPrivateKey()) {
      throw new SshError(
        'key_is_public',
        `${keyPath} holds a public key; give the private key file (usually the same name without .pub)`,
      );
    }
    this.keys.set(keyPath, { key, mtimeMs: stat.mtimeMs, size: stat.size });
    return key;
  }

  private async decrypt(keyPath: string, data: Buffer): Promise<ParsedKey | Error> {
    if (!this.passphrases)
      throw new SshError('passphrase_required', `${keyPath} is encrypted and no passphrase prompt is available`);
    const attempt = (this.attempts.get(keyPath) ?? 0) + 1;
    this.attempts.set(keyPath, attempt);
    const passphrase = await this.passphrases({ keyPath, attempt });
    if (passphrase === null) {
      // Declined is not wrong: the next question is a first one again.
      this.attempts.delete(keyPath);
      throw new SshError('passphrase_required', `${keyPath} is encrypted and no passphrase was given`);
    }
    const parsed = utils.parseKey(data, passphrase);
    if (parsed instanceof Error && /passphrase|decrypt|integrity/i.test(parsed.message)) {
      throw new SshError('wrong_passphrase', `the passphrase for ${keyPath} is wrong`);
    }
    if (!(parsed instanceof Error)) this.attempts.delete(keyPath);
    return parsed;
  }
}

/** What authentication needs from the app. */
export interface CredentialSources {
  keys: KeyFileCache;
  secrets: SecretStore;
  /** The agent socket; defaults to SSH_AUTH_SOCK at the time of the call. */
  agentSocket?: string;
}

/** The single authentication method for an endpoint, resolved before the handshake starts. */
export async function authMethodsFor(endpoint: Endpoint, sources: CredentialSources): Promise<AnyAuthMethod[]> {
  const username = endpoint.user;
  const auth = endpoint.auth;
  switch (auth.kind) {
    case 'key':
      return [{ type: 'publickey', username, key: await sources.keys.load(auth.keyPath) }];
    case 'agent': {
      const agent = sources.agentSocket ?? process.env.SSH_AUTH_SOCK;
      if (!agent)
        throw new SshError('agent_unavailable', 'no SSH agent is running for Lifeboat (SSH_AUTH_SOCK is not set)');
      return [{ type: 'agent', username, agent }];
    }
    case 'password': {
      if (!sources.secrets.isSecure()) {
        const why = sources.secrets.refusal?.() ?? 'this system has no secure keyring to keep the password in';
        throw new SshError('no_keyring', `password login is refused: ${why}`);
      }
      const password = await sources.secrets.getPassword(passwordAccount(endpoint));
      if (password === null)
        throw new SshError(
          'password_missing',
          `no password is stored for ${username}@${endpoint.host}:${endpoint.port}`,
        );
      // Servers that take passwords only through keyboard-interactive get it for a single prompt.
      const prompt = (
        _name: string,
        _instructions: string,
        _lang: string,
        prompts: Prompt[],
        finish: KeyboardInteractiveCallback,
      ) => finish(prompts.length === 1 ? [password] : prompts.map(() => ''));
      return [
        { type: 'password', username, password },
        { type: 'keyboard-interactive', username, prompt },
      ];
    }
  }
}
