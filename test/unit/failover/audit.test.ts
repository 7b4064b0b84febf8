import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { appendAudit, exportAudit, verifyAudit } from '../../../electron/failover/audit';

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

function fill(): void {
  const intent = appendAudit(ws.db, {
    kind: 'intent',
    actor: 'sam@laptop',
    host: 'web-a',
    command: "ip addr del '10.77.0.10/24' dev 'eth0'",
  });
  appendAudit(ws.db, {
    kind: 'outcome',
    actor: 'sam@laptop',
    host: 'web-a',
    intentId: intent.id,
    exitCode: 0,
    outcome: 'ok',
    output: '=cmd|calc',
  });
  appendAudit(ws.db, { kind: 'skip', actor: 'sam@laptop', detail: 'done by hand' });
}

describe('the audit log', () => {
  it('chains every row to the previous one and verifies', () => {
    fill();
    expect(verifyAudit(ws.db)).toEqual({ ok: true, rows: 3, firstBroken: null });
  });

  it('detects an edited row and reports the first broken one', () => {
    fill();
    ws.db.prepare("UPDATE audit_log SET command = 'true' WHERE id = 1").run();
    expect(verifyAudit(ws.db)).toMatchObject({
      ok: false,
      firstBroken: { id: 1, reason: expect.stringMatching(/edited/) },
    });
  });

  it('detects a row removed from the middle', () => {
    fill();
    ws.db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(verifyAudit(ws.db)).toMatchObject({ ok: false, firstBroken: { id: 3 } });
  });

  it('detects a rewritten row whose hash was recomputed but whose successor still links to the old one', () => {
    fill();
    ws.db.prepare("UPDATE audit_log SET detail = 'forged', hash = 'x' WHERE id = 2").run();
    expect(verifyAudit(ws.db).firstBroken?.id).toBe(2);
  });

  it('exports CSV with formula-looking cells neutralised, and JSON', () => {
    fill();
    const csv = exportAudit(ws.db, 'csv');
    expect(csv.rows).toBe(3);
    expect(csv.text.split('\r\n')[0]).toMatch(/^id,at,kind,actor/);
    expect(csv.text).toContain("'=cmd|calc");
    const json = JSON.parse(exportAudit(ws.db, 'json').text);
    expect(json[0]).toMatchObject({ kind: 'intent', host: 'web-a' });
  });

  it('is reachable through the contract: audit.verify and audit.export', async () => {
    fill();
    expect(await ws.ok('audit.verify')).toMatchObject({ ok: true, rows: 3 });
    expect(await ws.ok('audit.export', { format: 'json' })).toMatchObject({ format: 'json', rows: 3 });
  });

  it('writes with synchronous=FULL and restores the connection setting afterwards', () => {
    const seen: number[] = [];
    const pragma = ws.db.pragma.bind(ws.db);
    (ws.db as unknown as { pragma: typeof pragma }).pragma = ((source: string, options?: { simple?: boolean }) => {
      if (source === 'synchronous = FULL') seen.push(2);
      return pragma(source, options as never);
    }) as typeof pragma;
    fill();
    expect(seen).toHaveLength(3);
    (ws.db as unknown as { pragma: typeof pragma }).pragma = pragma;
    expect(ws.db.pragma('synchronous', { simple: true })).toBe(1);
  });
});
