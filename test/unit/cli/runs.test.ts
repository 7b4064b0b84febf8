/**
 * `lifeboat runs`: list shows a run left by a dead process and its lock; break-lock refuses wrong
 * words and breaks with the right ones (audited); close ends the interrupted run with a note
 * (audited); a run number that is not one is refused where it enters.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../../electron/cli';
import { getLock, getRun, insertLock, insertRun } from '../../../electron/db/repositories/runs';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import type { Snapshot } from '../../../shared/domain';

let ws: TempWorkspace;
let runId: number;
let groupId: number;
beforeEach(async () => {
  ws = openTempWorkspace();
  await ws.ok('workspace.create', { template: 'example' });
  const web = (await ws.ok<Snapshot>('workspace.snapshot')).groups.find((g) => g.name === 'web')!;
  groupId = web.id;
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const owner = { pid: dead, host: os.hostname(), token: `x:${dead}` };
  runId = insertRun(ws.db, {
    groupId,
    groupName: 'web',
    sourceServerId: web.members[0].serverId,
    targetServerId: web.members[1].serverId,
    mode: 'real',
    status: 'running',
    operator: 'sam@laptop',
    owner,
    startedAt: Date.now() - 60_000,
    finishedAt: null,
    definitionHash: 'x',
    runbook: [],
    preflight: null,
    steps: [],
    rtoMinutes: 30,
    summary: '',
    note: '',
  });
  insertLock(ws.db, { groupId, runId, operator: 'sam@laptop', owner, acquiredAt: Date.now() - 60_000 });
});
afterEach(() => ws.cleanup());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  return { code: await main(['--db', ws.file, ...argv], io), out, err };
}

const auditKinds = () =>
  ws.db.prepare('SELECT kind, detail FROM audit_log WHERE run_id = ? ORDER BY id').all(runId) as {
    kind: string;
    detail: string;
  }[];

describe('lifeboat runs', () => {
  it('lists the run and the lock its dead owner left, breaks it with the typed words, and closes the run with a note', async () => {
    const listed = await cli('runs', 'list');
    expect(listed.out).toMatch(new RegExp(`#${runId} web real interrupted`));
    expect(listed.out).toMatch(
      new RegExp(
        `lock: web held by run #${runId} \\(pid \\d+ on ${os.hostname()}, last heartbeat \\d+ s ago\\); may be broken: lifeboat runs break-lock ${runId}`,
      ),
    );

    const wrong = await cli('runs', 'break-lock', String(runId), '--reason', 'the process is gone', '--confirm', 'yes');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(new RegExp(`Type "${os.hostname()} run ${runId}"`));
    expect(getLock(ws.db, groupId)).toBeDefined();
    const broken = await cli(
      'runs',
      'break-lock',
      String(runId),
      '--reason',
      'the process is gone',
      '--confirm',
      `${os.hostname()} run ${runId}`,
    );
    expect(broken.code).toBe(0);
    expect(getLock(ws.db, groupId)).toBeUndefined();
    expect(auditKinds().map((r) => r.kind)).toEqual(['lock']);

    const closed = await cli('runs', 'close', String(runId), '--note', 'moved the VIP back by hand');
    expect(closed.code).toBe(0);
    expect(getRun(ws.db, runId)).toMatchObject({ status: 'closed', note: 'moved the VIP back by hand' });
    expect(auditKinds().at(-1)).toMatchObject({
      kind: 'note',
      detail: 'closed (was interrupted): moved the VIP back by hand',
    });
  });

  it('refuses a run number that is not one, changing nothing', async () => {
    const bad = await cli('runs', 'close', '1; rm -rf /', '--note', 'x y z');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/is not a run number/);
    expect(getRun(ws.db, runId)?.status).toBe('running');
  });
});
