import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { openWorkspace } from '../../../electron/db/connection';
import { LifeboatError } from '../../../shared/errors';
import { tempDir } from '../../helpers/workspace';

const dirs: string[] = [];
const scratch = () => {
  const dir = tempDir();
  dirs.push(dir);
  return path.join(dir, 'ws.db');
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const tables = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('0001 creates the inventory tables and sets user_version to 1', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'contacts',
        'group_members',
        'group_vips',
        'servers',
        'service_dependencies',
        'service_groups',
        'services',
        'settings',
        'sites',
        'vip_interfaces',
      ]),
    );
    db.close();
  });

  it('opens a workspace with WAL, foreign keys and the newest schema', () => {
    const db = openWorkspace(scratch());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('running again changes nothing', () => {
    const file = scratch();
    openWorkspace(file).close();
    const db = openWorkspace(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('a failing migration rolls back entirely and leaves user_version where it was', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    const broken = {
      version: 2,
      name: 'broken',
      up: (d: Database.Database) => {
        d.exec('CREATE TABLE half_done (x)');
        d.exec('SELECT * FROM missing_table');
      },
    };
    expect(() => migrate(db, [MIGRATIONS[0], broken])).toThrow(/missing_table/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('refuses a file written by a newer Lifeboat with a clear message and leaves it untouched', () => {
    const file = scratch();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    const before = fs.readFileSync(file);
    let error: unknown;
    try {
      openWorkspace(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LifeboatError);
    expect((error as LifeboatError).code).toBe('unsupported_version');
    expect((error as LifeboatError).message).toMatch(/newer version of Lifeboat.*schema 999/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database', () => {
    const file = scratch();
    fs.writeFileSync(file, 'this is not sqlite'.repeat(100));
    expect(() => openWorkspace(file)).toThrow(/Cannot open the workspace file|damaged/);
  });
});
