import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { openApp } from '../../../electron/app';
import { appendIncidentEvent, insertIncident } from '../../../electron/db/repositories/incidents';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { tempDir } from '../../helpers/workspace';

let dir: string;
let db: string;
beforeEach(() => {
  dir = tempDir();
  db = path.join(dir, 'ws.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', db, ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** An open incident as the scheduler records one. */
function raise(): number {
  const app = openApp(db, () => {});
  try {
    const at = Date.parse('2026-12-05T09:00:00Z');
    const id = insertIncident(app.db, {
      openedAt: at,
      checkId: null,
      title: 'Database (critical) down for 0 of its 30 minutes',
      body: 'db: port refused',
      service: { name: 'Database', tier: 'critical', rtoMinutes: 30 },
      takesDown: ['CRM (critical)'],
      groupIds: [],
      status: 'open',
      level: 1,
      nextEscalationAt: at + 6 * 60_000,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
    });
    appendIncidentEvent(app.db, id, at, 'raised', 'Database (critical) down for 0 of its 30 minutes');
    return id;
  } finally {
    app.dispose();
  }
}

describe('lifeboat alerts', () => {
  it('lists the open alert with its timeline, acknowledges it into the audit log, and refuses a second acknowledgement', async () => {
    expect((await run('init', '--example')).code).toBe(0);
    expect((await run('alerts', 'list')).out).toBe('No alert has been raised.');
    const id = raise();
    const listed = await run('alerts', 'list', '--open');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(
      `#${id}  2026-12-05 09:00  OPEN, escalates 2026-12-05 09:06  Database (critical) down`,
    );
    expect(listed.out).toContain('takes down: CRM (critical)');
    expect(listed.out).toMatch(/raised\s+Database/);

    const acked = await run('alerts', 'ack', String(id), '--note', 'restarting postgres');
    expect(acked.code).toBe(0);
    expect(acked.out).toMatch(new RegExp(`#${id} .* acknowledged by \\S+`));
    const app = openApp(db, () => {});
    try {
      const rows = listAuditRows(app.db, { limit: 5 });
      expect(rows[0]).toMatchObject({ kind: 'change', detail: expect.stringContaining(`acknowledged alert #${id}`) });
      expect(rows[0].detail).toContain('restarting postgres');
    } finally {
      app.dispose();
    }
    // Acknowledged is not resolved: it stays listed, without an escalation time.
    const after = (await run('alerts', 'list', '--open')).out;
    expect(after).toMatch(new RegExp(`#${id} .* acknowledged by \\S+ `));
    expect(after).toMatch(/acknowledged\s+by \S+: restarting postgres/);
    const again = await run('alerts', 'ack', String(id));
    expect(again.code).toBe(1);
    expect(again.err).toContain('already acknowledged');
  });

  it('refuses an id that is not a number, and one that does not exist', async () => {
    expect((await run('init')).code).toBe(0);
    const bad = await run('alerts', 'ack', '1;rm');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('an alert id is a whole number');
    const missing = await run('alerts', 'ack', '99');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('there is no alert 99');
  });
});
