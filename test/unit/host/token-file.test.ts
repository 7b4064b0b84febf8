/** The serve token kept in a file: made 0600, the same at every start, rotated on demand, refused when exposed. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateToken, readTokenFile, rotateToken } from '../../../electron/host/token-file';
import { tempDir } from '../../helpers/workspace';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('the serve token file', () => {
  it('is made 0600 on first use and gives the same token every time after', () => {
    dir = tempDir('lifeboat-token-');
    const file = path.join(dir, 'serve.token');
    const first = loadOrCreateToken(file);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(modeOf(file)).toBe(0o600);
    const again = loadOrCreateToken(file);
    expect(again).toEqual({ token: first.token, created: false });
  });

  it('is 0600 even under a permissive umask', () => {
    dir = tempDir('lifeboat-token-');
    const previous = process.umask(0);
    try {
      loadOrCreateToken(path.join(dir, 'serve.token'));
    } finally {
      process.umask(previous);
    }
    expect(modeOf(path.join(dir, 'serve.token'))).toBe(0o600);
  });

  it('rotates to a new token, still 0600, leaving no temporary file', () => {
    dir = tempDir('lifeboat-token-');
    const file = path.join(dir, 'serve.token');
    const { token } = loadOrCreateToken(file);
    const rotated = rotateToken(file);
    expect(rotated).not.toBe(token);
    expect(readTokenFile(file)).toBe(rotated);
    expect(loadOrCreateToken(file).token).toBe(rotated);
    expect(modeOf(file)).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['serve.token']);
  });

  it('refuses a token file others can read, naming the mode and how to rotate', () => {
    dir = tempDir('lifeboat-token-');
    const file = path.join(dir, 'serve.token');
    loadOrCreateToken(file);
    fs.chmodSync(file, 0o644);
    expect(() => loadOrCreateToken(file)).toThrow(/can be read by other users \(mode 0644\).*--rotate-token/);
  });

  it('refuses a link, a directory and a file that holds no token', () => {
    dir = tempDir('lifeboat-token-');
    const target = path.join(dir, 'elsewhere');
    fs.writeFileSync(target, 'x'.repeat(43), { mode: 0o600 });
    fs.symlinkSync(target, path.join(dir, 'link.token'));
    expect(() => loadOrCreateToken(path.join(dir, 'link.token'))).toThrow(/not a regular file/);
    fs.mkdirSync(path.join(dir, 'dir.token'));
    expect(() => loadOrCreateToken(path.join(dir, 'dir.token'))).toThrow(/not a regular file/);
    fs.writeFileSync(path.join(dir, 'short.token'), 'abc\n', { mode: 0o600 });
    expect(() => loadOrCreateToken(path.join(dir, 'short.token'))).toThrow(/does not hold a token/);
    expect(() => rotateToken(path.join(dir, 'dir.token'))).toThrow(/not a regular file/);
  });

  it('says so when its directory does not exist', () => {
    dir = tempDir('lifeboat-token-');
    expect(() => loadOrCreateToken(path.join(dir, 'missing', 'serve.token'))).toThrow(
      /directory .*missing does not exist/,
    );
  });
});
