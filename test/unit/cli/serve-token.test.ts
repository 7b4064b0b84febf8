/** `lifeboat serve --rotate-token`: the token file from --token-file or LIFEBOAT_TOKEN_FILE, a new token, nothing served. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { tempDir } from '../../helpers/workspace';

let dir = '';
const saved = process.env.LIFEBOAT_TOKEN_FILE;
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.LIFEBOAT_TOKEN_FILE;
  else process.env.LIFEBOAT_TOKEN_FILE = saved;
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', path.join(dir, 'ws.db'), ...argv], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lifeboat serve --rotate-token', () => {
  it('writes a new token into --token-file (0600) and exits without serving', async () => {
    dir = tempDir('lifeboat-rotate-');
    const file = path.join(dir, 'serve.token');
    const first = await run('serve', '--token-file', file, '--rotate-token');
    expect(first.code).toBe(0);
    expect(first.out).toContain(`wrote a new token to ${file}`);
    const token = fs.readFileSync(file, 'utf8').trim();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await run('serve', '--token-file', file, '--rotate-token')).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8').trim()).not.toBe(token);
    expect(fs.existsSync(path.join(dir, 'ws.db'))).toBe(false); // no workspace was opened
  });

  it('takes the token file from LIFEBOAT_TOKEN_FILE (as the server package sets it)', async () => {
    dir = tempDir('lifeboat-rotate-');
    process.env.LIFEBOAT_TOKEN_FILE = path.join(dir, 'env.token');
    expect((await run('serve', '--rotate-token')).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'env.token'), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses without a token file, saying where the service keeps its own', async () => {
    dir = tempDir('lifeboat-rotate-');
    delete process.env.LIFEBOAT_TOKEN_FILE;
    const result = await run('serve', '--rotate-token');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--rotate-token needs --token-file <file> or LIFEBOAT_TOKEN_FILE');
    expect(result.err).toContain('/var/lib/lifeboat/serve.token');
  });

  it('says how to reach the console through ssh -L in serve --help', async () => {
    dir = tempDir('lifeboat-rotate-');
    const help = await run('serve', '--help');
    expect(help.out).toContain('ssh -N -L 8470:127.0.0.1:8470');
    expect(help.out).toContain('sudo lifeboat serve --rotate-token');
  });
});
