/** Opening a workspace file: WAL, foreign keys, a busy timeout, and the migrations. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { LifeboatError } from '../../shared/errors';
import { assertKnownSchema, migrate } from './migrate';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Open (creating when absent) and migrate a workspace database. */
export function openWorkspace(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // A new workspace is the owner's alone (0600): it holds the inventory, runbooks and the audit log.
    // SQLite gives its -wal and -shm files the same mode.
    try {
      fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new LifeboatError('unavailable', `Cannot create the workspace file ${file}: ${(error as Error).message}`);
    }
  }
  let db: Db;
  const nativeBinding = electronSqliteBinding();
  try {
    db = new Database(file, nativeBinding ? { nativeBinding } : {});
  } catch (error) {
    const message = (error as Error).message;
    const hint = /NODE_MODULE_VERSION/.test(message)
      ? ' (better-sqlite3 was built for Node, not for Electron: start the app with `npm start`, which builds it for Electron)'
      : '';
    throw new LifeboatError('unavailable', `Cannot open the workspace file ${file}: ${message}${hint}`);
  }
  try {
    const header = db.pragma('quick_check', { simple: true });
    if (header !== 'ok')
      throw new LifeboatError('unavailable', `The workspace file ${file} is damaged (quick_check: ${String(header)})`);
    assertKnownSchema(db, MIGRATIONS, file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, MIGRATIONS, file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof LifeboatError) throw error;
    throw new LifeboatError('unavailable', `Cannot open the workspace file ${file}: ${(error as Error).message}`);
  }
}

/**
 * Inside Electron, the Electron-ABI build of better-sqlite3 that `npm start` made and named in
 * LIFEBOAT_SQLITE_BINDING, when it exists. Never looked for relative to the working directory:
 * native code is not loaded from wherever the app happens to be started. Under Node, and in a
 * packaged app (electron-builder rebuilds the addon; an environment variable must not choose the
 * native code an installed app loads), undefined: the default addon.
 */
export function electronSqliteBinding(
  versions: Record<string, string | undefined> = process.versions,
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = fs.existsSync,
  packaged: boolean = packagedElectron(),
): string | undefined {
  if (!versions.electron || packaged) return undefined;
  const named = env.LIFEBOAT_SQLITE_BINDING;
  return named && path.isAbsolute(named) && exists(named) ? named : undefined;
}

/**
 * Whether this is an installed app: Electron sets `process.defaultApp` only when its binary was
 * handed an app directory (`electron dist/electron/main.cjs`, as `npm start` does).
 */
export function packagedElectron(
  proc: { versions: Record<string, string | undefined>; defaultApp?: boolean } = process,
): boolean {
  return Boolean(proc.versions.electron) && !proc.defaultApp;
}

/** The CLI's default workspace: $XDG_DATA_HOME/lifeboat/workspace.db or ~/.local/share/lifeboat/. */
export function defaultCliWorkspacePath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'lifeboat', 'workspace.db');
}
