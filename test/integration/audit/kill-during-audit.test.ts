/**
 * Lifeboat killed (SIGKILL) while it writes audit rows, again and again: every time, the workspace
 * passes quick_check, the chain and its anchor verify, and every row the writer was told was
 * committed is there. A bounded number of kills, each at a random moment of a busy write loop.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openWorkspace } from '../../../electron/db/connection';
import { verifyAudit } from '../../../electron/failover/audit';
import { anchorPath } from '../../../electron/failover/audit-anchor';
import { tempDir } from '../../helpers/workspace';

const ROOT = path.resolve(__dirname, '../../..');
const KILLS = 8;
let dir: string;
let writer: string;

beforeAll(async () => {
  dir = tempDir('lifeboat-audit-kill-');
  writer = path.join(dir, 'writer.cjs');
  await build({
    entryPoints: [path.join(__dirname, 'audit-writer.ts')],
    outfile: writer,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3'],
    logLevel: 'error',
  });
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Run the writer until it has acknowledged some rows, kill -9 it after `delayMs` more, return the acked ids. */
async function writeAndKill(file: string, delayMs: number): Promise<number[]> {
  const child = spawn(process.execPath, [writer, file, '100000'], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the writer acknowledged nothing in 15 s: ${stderr}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('acked ')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  // Only whole lines count: a line cut by the kill was not acknowledged.
  return stdout
    .split('\n')
    .slice(0, -1)
    .map((line) => Number(/^acked (\d+)$/.exec(line)?.[1]))
    .filter((id) => Number.isSafeInteger(id));
}

it(`kill -9 during audit writes, ${KILLS} times: the chain verifies and nothing acknowledged is lost`, async () => {
  const file = path.join(dir, 'workspace.db');
  openWorkspace(file).close();
  const acked: number[] = [];
  for (let round = 0; round < KILLS; round++) {
    acked.push(...(await writeAndKill(file, 5 + Math.floor(Math.random() * 120))));
    const db = openWorkspace(file);
    try {
      expect(db.pragma('quick_check', { simple: true })).toBe('ok');
      const result = verifyAudit(db);
      expect(result.firstBroken).toBeNull();
      expect(result.ok).toBe(true);
      const present = new Set((db.prepare('SELECT id FROM audit_log').all() as { id: number }[]).map((r) => r.id));
      expect(acked.filter((id) => !present.has(id))).toEqual([]);
      expect(result.rows).toBeGreaterThanOrEqual(Math.max(...acked));
      expect(fs.existsSync(anchorPath(db)!)).toBe(true);
    } finally {
      db.close();
    }
  }
  expect(acked.length).toBeGreaterThan(KILLS);
  // Rows were acknowledged in every round, so the kills landed in the middle of writing.
  expect(new Set(acked).size).toBe(acked.length);
}, 180_000);
