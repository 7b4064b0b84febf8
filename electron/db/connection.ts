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
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new LifeboatError('unavailable', `Cannot open the workspace file ${file}: ${(error as Error).message}`);
  }
  try {
    const header = db.pragma('quick_check', { simple: true });
    if (header !== 'ok') throw new LifeboatError('unavailable', `The workspace file ${file} is damaged (quick_check: ${String(header)})`);
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

/** The CLI's default workspace: $XDG_DATA_HOME/lifeboat/workspace.db or ~/.local/share/lifeboat/. */
export function defaultCliWorkspacePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'lifeboat', 'workspace.db');
}

