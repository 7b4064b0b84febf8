import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PlanExport } from '../../../shared/contract/plan';
import type { Snapshot } from '../../../shared/domain';
import type { Db } from '../../../electron/db/connection';
import { loadGroup, resolveRunbook } from '../../../electron/failover/definition';
import { buildPlan } from '../../../electron/failover/plan';
import { SECTION_TITLES } from '../../../electron/plan/html-parts';
import type { Runbook } from '../../../shared/runbooks';
import { exampleCompany } from '../../../shared/example-company';
import { planToYaml, PlanDocument } from '../../../shared/plan-file';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { describeWithTools } from './tools';

/** pdftotext output and our strings compared without whitespace: wrapped lines and columns vary. */
const squash = (text: string) => text.replace(/\s+/g, '');
/** Every script of every runbook the engine would run (to each standby, and back to the primary). */
function engineScripts(db: Db, snapshot: Snapshot): string[] {
  return snapshot.groups.flatMap((group) => {
    const context = loadGroup(db, group.id);
    return group.members.flatMap((m) =>
      buildPlan(context, resolveRunbook(db, context, m.serverId)).steps.flatMap((s) => s.commands.map((c) => c.script)),
    );
  });
}

const PAGES_DIR = path.resolve(__dirname, '../../../test-results/plan-pages');

describeWithTools('the example company PDF', { chromium: true, poppler: true }, () => {
  let ws: TempWorkspace;
  let pdfFile: string;
  let text: string;
  let pages: number;
  let snapshot: Snapshot;
  let result: PlanExport;

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    snapshot = await ws.ok<Snapshot>('workspace.snapshot');
    result = await ws.ok<PlanExport>('plan.export', { format: 'pdf' });
    pdfFile = path.join(ws.dir, result.fileName);
    fs.writeFileSync(pdfFile, Buffer.from(result.content, 'base64'));
    text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' }))![1]);
  }, 60_000);
  afterAll(() => ws?.cleanup());

  it('is a PDF of several A4 pages', () => {
    expect(fs.readFileSync(pdfFile).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBeGreaterThan(10);
    expect(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' })).toMatch(
      /Page size:\s+59[4-6](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/,
    );
  });

  it('contains every contact phone and support phone', () => {
    const phones = [
      ...snapshot.contacts.flatMap((c) => c.phones),
      ...snapshot.servers.map((s) => s.support.phone).filter(Boolean),
    ];
    expect(phones.length).toBeGreaterThan(5);
    for (const phone of phones) expect(squash(text), phone).toContain(squash(phone));
  });

  it('contains every service and every section', () => {
    for (const service of snapshot.services) expect(text, service.name).toContain(service.name);
    for (const title of Object.values(SECTION_TITLES)) expect(squash(text), title).toContain(squash(title));
  });

  it("contains every script of every runbook, as the failover engine's own plan builder makes it", () => {
    const scripts = engineScripts(ws.db, snapshot);
    expect(scripts.length).toBeGreaterThan(30);
    // A long step may run onto the next page: leave out the running footer and header between them.
    const body = squash(text).replace(/sha256[0-9a-f]{12,}page\d+of\d+.*?revision\d+·[-\d]+\d\d:\d\dUTC/g, '');
    for (const script of scripts) expect(body, script).toContain(squash(script));
    // Every group has a runbook the engine would run (the phone system's: call the vendor), so no outline.
    expect(text).not.toContain('Provisional outline');
    expect(text).toContain('Recovery steps: bring pbx back');
  });

  it('prints the revision and "page N of M" on every page', () => {
    for (let page = 1; page <= pages; page++) {
      const pageText = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdfFile, '-'], {
        encoding: 'utf8',
      });
      expect(pageText, `page ${page}`).toContain(`revision ${result.revision}`);
      expect(pageText, `page ${page}`).toContain(`page ${page} of ${pages}`);
    }
  });

  it('renders every page to an image (kept in test-results/plan-pages to look at)', () => {
    fs.rmSync(PAGES_DIR, { recursive: true, force: true });
    fs.mkdirSync(PAGES_DIR, { recursive: true });
    execFileSync('pdftoppm', ['-r', '60', '-png', pdfFile, path.join(PAGES_DIR, 'page')]);
    const images = fs.readdirSync(PAGES_DIR).filter((f) => f.endsWith('.png'));
    expect(images).toHaveLength(pages);
    for (const image of images) expect(fs.statSync(path.join(PAGES_DIR, image)).size).toBeGreaterThan(2000);
  });
});

describeWithTools('a PDF of a workspace with key files', { chromium: true, poppler: true }, () => {
  const LOGIN_KEY = '/home/sam/.ssh/lifeboat_login_secret';
  const RSYNC_KEY = '/root/.ssh/files_sync_secret';
  let ws: TempWorkspace;
  let text: string;

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.importPlan', {
      yaml: planToYaml(PlanDocument.parse(exampleCompany({ keyPath: LOGIN_KEY }))),
    });
    const snapshot = await ws.ok<Snapshot>('workspace.snapshot');
    const files = snapshot.groups.find((g) => g.name === 'files')!;
    const standby = files.members.find((m) => m.role === 'standby')!.serverId;
    const runbook = await ws.ok<Runbook>('runbooks.get', { groupId: files.id, targetServerId: standby });
    const steps = runbook.steps.map((s) =>
      s.type === 'action' && s.action.kind === 'rsync.sync'
        ? { ...s, action: { ...s.action, params: { ...s.action.params, identityFile: RSYNC_KEY } } }
        : s,
    );
    await ws.ok('runbooks.save', {
      groupId: files.id,
      direction: runbook.direction,
      sourceServerId: runbook.sourceServerId,
      targetServerId: standby,
      steps,
    });
    const result = await ws.ok<PlanExport>('plan.export', { format: 'pdf' });
    const file = path.join(ws.dir, result.fileName);
    fs.writeFileSync(file, Buffer.from(result.content, 'base64'));
    text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  }, 60_000);
  afterAll(() => ws?.cleanup());

  it('prints the rsync step with its key file left out, and no key path anywhere', () => {
    expect(squash(text)).toContain(squash('-i <key file>'));
    for (const secret of [LOGIN_KEY, RSYNC_KEY, 'lifeboat_login_secret', 'files_sync_secret'])
      expect(squash(text)).not.toContain(squash(secret));
  });
});
