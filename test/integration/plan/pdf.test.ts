import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PlanExport } from '../../../shared/contract/plan';
import type { Snapshot } from '../../../shared/domain';
import { analysePlan } from '../../../electron/plan/analysis';
import { buildPlanContent } from '../../../electron/plan/model';
import { SECTION_TITLES } from '../../../electron/plan/html-parts';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { describeWithTools } from './tools';

/** pdftotext output and our strings compared without whitespace: wrapped lines and columns vary. */
const squash = (text: string) => text.replace(/\s+/g, '');
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
    expect(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' })).toMatch(/Page size:\s+59[56](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  });

  it('contains every contact phone and support phone', () => {
    const phones = [...snapshot.contacts.flatMap((c) => c.phones), ...snapshot.servers.map((s) => s.support.phone).filter(Boolean)];
    expect(phones.length).toBeGreaterThan(5);
    for (const phone of phones) expect(squash(text), phone).toContain(squash(phone));
  });

  it('contains every service and every section', () => {
    for (const service of snapshot.services) expect(text, service.name).toContain(service.name);
    for (const title of Object.values(SECTION_TITLES)) expect(squash(text), title).toContain(squash(title));
  });

  it('contains every command of every generated runbook outline', () => {
    const content = buildPlanContent(snapshot, analysePlan(snapshot));
    const commands = content.groups.flatMap((g) => [g.outline.preflight, g.outline.steps, g.outline.verification, g.outline.switchback].flat().flatMap((s) => s.commands));
    expect(commands.length).toBeGreaterThan(40);
    for (const command of commands) expect(squash(text), command).toContain(squash(command));
  });

  it('prints the revision and "page N of M" on every page', () => {
    for (let page = 1; page <= pages; page++) {
      const pageText = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdfFile, '-'], { encoding: 'utf8' });
      expect(pageText, `page ${page}`).toContain(`revision ${result.revision}`);
      expect(pageText, `page ${page}`).toContain(`page ${page} of ${pages}`);
    }
  });

  it('renders every page to an image (kept in test-results/plan-pages to look at)', () => {
    fs.rmSync(PAGES_DIR, { recursive: true, force: true });
    fs.mkdirSync(PAGES_DIR, { recursive: true });
    execFileSync('pdftoppm', ['-r', '50', '-png', pdfFile, path.join(PAGES_DIR, 'page')]);
    const images = fs.readdirSync(PAGES_DIR).filter((f) => f.endsWith('.png'));
    expect(images).toHaveLength(pages);
    for (const image of images) expect(fs.statSync(path.join(PAGES_DIR, image)).size).toBeGreaterThan(2000);
  });
});
