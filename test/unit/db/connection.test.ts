import path from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { electronSqliteBinding, packagedElectron } from '../../../electron/db/connection';

const all = () => true;
const ELECTRON = { node: '24.0.0', electron: '45.6.1' };

describe('the SQLite addon inside Electron', () => {
  it('uses the default addon under Node, whatever the environment names', () => {
    expect(electronSqliteBinding({ node: '20.19.0' }, { LIFEBOAT_SQLITE_BINDING: '/b/x.node' }, all)).toBeUndefined();
  });

  it('under Electron, uses the addon npm start built and named', () => {
    expect(
      electronSqliteBinding(ELECTRON, { LIFEBOAT_SQLITE_BINDING: '/b/x.node' }, (file) => file === '/b/x.node'),
    ).toBe('/b/x.node');
  });

  it('under Electron, falls back to the default when none is named, the file is gone, or the path is relative', () => {
    expect(electronSqliteBinding(ELECTRON, {}, all)).toBeUndefined();
    expect(electronSqliteBinding(ELECTRON, { LIFEBOAT_SQLITE_BINDING: '/gone.node' }, () => false)).toBeUndefined();
    expect(electronSqliteBinding(ELECTRON, { LIFEBOAT_SQLITE_BINDING: 'build/x.node' }, all)).toBeUndefined();
  });

  it('in a packaged app, ignores LIFEBOAT_SQLITE_BINDING: the installed addon is used, whatever the environment names', () => {
    expect(electronSqliteBinding(ELECTRON, { LIFEBOAT_SQLITE_BINDING: '/b/x.node' }, all, true)).toBeUndefined();
    expect(electronSqliteBinding(ELECTRON, { LIFEBOAT_SQLITE_BINDING: '/b/x.node' }, all, false)).toBe('/b/x.node');
  });

  it('tells a packaged app from Electron started on an app directory (npm start) and from Node', () => {
    expect(packagedElectron({ versions: ELECTRON })).toBe(true);
    expect(packagedElectron({ versions: ELECTRON, defaultApp: true })).toBe(false);
    expect(packagedElectron({ versions: { node: '20.19.0' } })).toBe(false);
  });

  it('better-sqlite3 loads an addon given by path (the option the connection passes)', () => {
    const require = createRequire(import.meta.url);
    const addon = path.join(
      path.dirname(require.resolve('better-sqlite3/package.json')),
      'build',
      'Release',
      'better_sqlite3.node',
    );
    const db = new Database(':memory:', { nativeBinding: addon });
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
  });
});
