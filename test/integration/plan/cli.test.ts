import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { tempDir } from '../../helpers/workspace';

let dir: string;
let out: string[];
let err: string[];
const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
const run = (...args: string[]) => main(['--db', path.join(dir, 'ws.db'), ...args], io);

beforeEach(async () => {
  dir = tempDir();
  out = [];
  err = [];
  expect(await run('init', '--example')).toBe(0);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('lifeboat plan', () => {
  it('writes the Markdown plan to --out and records revision 1', async () => {
    const file = path.join(dir, 'plan.md');
    expect(await run('plan', '--format', 'md', '--out', file)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('# Northwind Call Centre: disaster-recovery plan');
    expect(out.at(-1)).toMatch(/^wrote .*plan\.md \(revision 1, sha256 [0-9a-f]{16}…\)$/);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses an unknown format before opening anything', async () => {
    expect(await run('plan', '--format', 'docx')).toBe(2);
    expect(err.join('\n')).toContain('choose one of: html, md, pdf');
  });

  it('says how to get a PDF when no Chromium is found, and records nothing', async () => {
    const saved = process.env.LIFEBOAT_CHROMIUM;
    process.env.LIFEBOAT_CHROMIUM = path.join(dir, 'no-such-chromium');
    try {
      expect(await run('plan', '--format', 'pdf', '--out', path.join(dir, 'plan.pdf'))).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.LIFEBOAT_CHROMIUM;
      else process.env.LIFEBOAT_CHROMIUM = saved;
    }
    expect(err.join('\n')).toContain('error (unavailable): no Chromium found: install chromium or export HTML');
    expect(fs.existsSync(path.join(dir, 'plan.pdf'))).toBe(false);
    out = [];
    expect(await run('call', 'plan.revisions')).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual([]);
  });
});
