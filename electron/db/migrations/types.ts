import type { Database } from 'better-sqlite3';

/** One numbered schema change; `up` runs inside a transaction that also sets user_version. */
export interface Migration {
  version: number;
  name: string;
  /**
   * The migration rebuilds a table other tables reference (create new, copy, drop old, rename).
   * With foreign keys on, dropping the old table deletes every row that references it (ON DELETE
   * CASCADE): history would go. The runner turns foreign keys off before the transaction begins
   * (SQLite ignores the pragma inside one), runs `PRAGMA foreign_key_check` before committing, and
   * fails the migration (rolled back) if any row is left pointing nowhere.
   */
  foreignKeysOff?: boolean;
  up(db: Database): void;
}
