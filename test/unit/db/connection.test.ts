import path from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { electronSqliteBinding } from '../../../electron/db/connection';

const all = () => true;
const none = () => false;

describe('the SQLite addon inside Electron', () => {
  it('uses the default addon under Node', () => {
    expect(electronSqliteBinding({ node: '20.19.0' }, { LIFEBOAT_SQLITE_BINDING: '/x.node' }, '/repo', all)).toBeUndefined();
  });

  it('under Electron, uses the addon npm start named, or the one in build/electron-native for that version', () => {
    const electron = { node: '24.0.0', electron: '41.7.1' };
    expect(electronSqliteBinding(electron, { LIFEBOAT_SQLITE_BINDING: '/b/x.node' }, '/repo', all)).toBe('/b/x.node');
    const built = path.join('/repo', 'build', 'electron-native', 'electron-41.7.1', 'better_sqlite3.node');
    expect(electronSqliteBinding(electron, {}, '/repo', (file) => file === built)).toBe(built);
    expect(electronSqliteBinding(electron, { LIFEBOAT_SQLITE_BINDING: '/gone.node' }, '/repo', (file) => file === built)).toBe(built);
  });

  it('under Electron without a built addon, falls back to the default (a packaged app has it rebuilt)', () => {
    expect(electronSqliteBinding({ electron: '41.7.1' }, {}, '/repo', none)).toBeUndefined();
  });

  it('better-sqlite3 loads an addon given by path (the option the connection passes)', () => {
    const require = createRequire(import.meta.url);
    const addon = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    const db = new Database(':memory:', { nativeBinding: addon });
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
  });
});
