import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { exportPlanDocument } from '../../../electron/plan/service';
import { setPdfRenderer, type PdfRenderer } from '../../../electron/plan/pdf';
import type { PlanExport, PlanRevision, PlanSummary } from '../../../shared/contract/plan';
import type { Snapshot } from '../../../shared/domain';
import { PlanDocument, planToYaml } from '../../../shared/plan-file';
import { exampleCompany } from '../../../shared/example-company';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = openTempWorkspace();
  await ws.ok('workspace.create', { template: 'example' });
});
afterEach(() => ws.cleanup());

describe('migration 0003', () => {
  it('creates plan_revisions with its checks', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    const insert = db.prepare(
      'INSERT INTO plan_revisions (number, created_at, format, sha256, summary) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run(1, '2025-01-01T00:00:00Z', 'pdf', 'a'.repeat(64), 'first');
    expect(() => insert.run(1, '2025-01-01T00:00:00Z', 'docx', 'a'.repeat(64), '')).toThrow(/CHECK/);
    expect(() => insert.run(0, '2025-01-01T00:00:00Z', 'pdf', 'a'.repeat(64), '')).toThrow(/CHECK/);
    expect(() => insert.run(1, '2025-01-01T00:00:00Z', 'pdf', 'short', '')).toThrow(/CHECK/);
    db.close();
  });
});

describe('plan revisions', () => {
  it('keeps the revision and hash when an unchanged plan is exported again, in any format', async () => {
    const first = await ws.ok<PlanExport>('plan.export', { format: 'html' });
    const second = await ws.ok<PlanExport>('plan.export', { format: 'md' });
    expect(first).toMatchObject({ revision: 1, encoding: 'utf8', fileName: 'northwind-call-centre-dr-plan-r1.html' });
    expect(second).toMatchObject({ revision: 1, hash: first.hash, fileName: 'northwind-call-centre-dr-plan-r1.md' });
    const revisions = await ws.ok<PlanRevision[]>('plan.revisions');
    expect(revisions.map((r) => [r.number, r.format])).toEqual([
      [1, 'md'],
      [1, 'html'],
    ]);
    expect(revisions[0].summary).toBe('7 services (4 critical), 5 groups, 9 servers, 6 contacts; readiness 49/100');
  });

  it('starts a new revision when the content changes, and lists both in the change log', async () => {
    const first = await ws.ok<PlanExport>('plan.export', { format: 'html' });
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    const db = snap.services.find((s) => s.name === 'Database')!;
    await ws.ok('services.save', { ...db, workaround: 'Read-only copy on the laptop' });
    const second = await ws.ok<PlanExport>('plan.export', { format: 'html' });
    expect(second.revision).toBe(2);
    expect(second.hash).not.toBe(first.hash);
    expect(second.content).toContain('Read-only copy on the laptop');
    const changeLog = second.content.slice(second.content.indexOf('id="changes"'));
    expect(changeLog).toContain(`${first.hash.slice(0, 16)}`);
    expect(changeLog).toContain(`${second.hash.slice(0, 16)}`);
  });

  it('does not change the hash for the revision, the date or a re-import with new ids', async () => {
    const first = await ws.ok<PlanExport>('plan.export', { format: 'md' });
    const { yaml } = await ws.ok<{ yaml: string }>('workspace.exportPlan');
    await ws.ok('workspace.importPlan', { yaml });
    const again = await ws.ok<PlanExport>('plan.export', { format: 'md' });
    expect(again).toMatchObject({ hash: first.hash, revision: 1 });
  });

  it('previews without recording, showing the number the export will get', async () => {
    const preview = await ws.ok<{ html: string; revision: number; recorded: boolean; hash: string }>('plan.preview');
    expect(preview).toMatchObject({ revision: 1, recorded: false });
    expect(preview.html).toContain('preview: this content has not been exported yet');
    expect(await ws.ok<PlanRevision[]>('plan.revisions')).toEqual([]);
    await ws.ok('plan.export', { format: 'md' });
    expect(await ws.ok('plan.preview')).toMatchObject({ revision: 1, recorded: true, hash: preview.hash });
  });

  it('records nothing when the PDF cannot be made, and says why', async () => {
    const failing: PdfRenderer = {
      name: 'chromium',
      render: () => Promise.reject(new Error('no Chromium found: install chromium or export HTML')),
    };
    await expect(exportPlanDocument(ws.ctx, 'pdf', failing)).rejects.toThrow(/no Chromium found/);
    expect(await ws.ok<PlanRevision[]>('plan.revisions')).toEqual([]);
  });

  it('lets the renderer start before the plan is built, and always lets it go', async () => {
    const calls: string[] = [];
    const renderer = (fail: boolean): PdfRenderer => ({
      name: 'chromium',
      prepare: () => void calls.push('prepare'),
      release: async () => void calls.push('release'),
      render: async () => {
        calls.push('render');
        if (fail) throw new Error('printing failed');
        return new TextEncoder().encode('%PDF-fake');
      },
    });
    await exportPlanDocument(ws.ctx, 'pdf', renderer(false));
    expect(calls).toEqual(['prepare', 'render', 'release']);
    calls.length = 0;
    await expect(exportPlanDocument(ws.ctx, 'pdf', renderer(true))).rejects.toThrow('printing failed');
    expect(calls).toEqual(['prepare', 'render', 'release']);
  });

  it('sends PDF bytes as base64 through the configured renderer, the page marks in the document', async () => {
    let seen: { html: string } | null = null;
    const restore = setPdfRenderer({
      name: 'electron',
      render: async (html) => {
        seen = { html };
        return new TextEncoder().encode('%PDF-fake');
      },
    });
    try {
      const result = await ws.ok<PlanExport>('plan.export', { format: 'pdf' });
      expect(result).toMatchObject({
        format: 'pdf',
        encoding: 'base64',
        fileName: 'northwind-call-centre-dr-plan-r1.pdf',
      });
      expect(Buffer.from(result.content, 'base64').toString()).toBe('%PDF-fake');
      // The header and footer are the document's page-margin boxes: revision, date, hash, page N of M.
      expect(seen!.html).toContain('@bottom-right{content:"page " counter(page) " of " counter(pages)');
      expect(seen!.html).toMatch(/@top-right\{content:"revision 1 · \d{4}-\d\d-\d\d \d\d:\d\d UTC"/);
    } finally {
      restore();
    }
  });

  it('answers the summary with order, readiness, impact, unprotected services and single points of failure', async () => {
    const summary = await ws.ok<PlanSummary>('plan.summary');
    expect(summary.recoveryOrder[0].name).toBe('Network gateway');
    // Four services with data and no backup check nor passing restore test (no_backup, never_restored).
    expect(summary.readiness.score).toBe(49);
    expect(summary.unprotected.map((u) => u.name)).toEqual(['Phones']);
    expect(summary.singlePointsOfFailure.map((p) => p.name)).toEqual(['Phones']);
    expect(summary.targetMinutes).toBe(30);
    expect(summary.impact.services[0].name).toBe('Network gateway');
  });

  it('leaves SSH key paths out of every format', async () => {
    await ws.ok('workspace.importPlan', {
      yaml: planToYaml(PlanDocument.parse(exampleCompany({ keyPath: '/root/.ssh/lifeboat_secret_key' }))),
    });
    for (const format of ['html', 'md'] as const) {
      const result = await ws.ok<PlanExport>('plan.export', { format });
      expect(result.content).not.toContain('lifeboat_secret_key');
      expect(result.content).toContain('root@192.0.2.2');
    }
  });

  it('draws the map as SVG and refuses an unknown export format', async () => {
    const map = await ws.ok<{ svg: string; width: number; height: number }>('plan.map');
    expect(map.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(map.width).toBeGreaterThan(300);
    const refused = await ws.dispatcher.dispatch('plan.export', { format: 'docx' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
