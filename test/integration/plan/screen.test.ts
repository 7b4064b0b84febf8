import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PlanSummary } from '../../../shared/contract/plan';
import { setDependencies } from '../../../electron/db/repositories/services';
import { findChromium } from '../../../electron/plan/pdf-chromium';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { describeWithTools } from './tools';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The harness and the screen's CSS, bundled for the browser. */
async function bundle(): Promise<{ js: string; css: string }> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'screen-harness.tsx')],
    bundle: true,
    write: false,
    outdir: '/virtual',
    format: 'iife',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

describeWithTools('the Plan screen', { chromium: true }, () => {
  let ws: TempWorkspace;
  let browser: Browser;
  let page: Page;
  let load: (mode?: string) => Promise<void>;

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    const { js, css } = await bundle();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: findChromium()!, args: ARGS });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.exposeFunction('lifeboatCall', (method: string, payload: unknown) =>
      ws.dispatcher.dispatch(method, payload),
    );
    load = (mode = '') =>
      page.setContent(
        `<!doctype html><html><head><style>${css}</style></head><body><div id="root"></div><script>window.harnessMode = ${JSON.stringify(mode)};</script><script>${js.replace(/<\/script/gi, '<\\/script')}</script></body></html>`,
      );
    await load();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    ws?.cleanup();
  });

  it('shows readiness, the recovery order, the map as an image and the impact', async () => {
    await page.getByTestId('recovery-order').waitFor();
    const { readiness } = await ws.ok<PlanSummary>('plan.summary');
    expect(await page.getByTestId('readiness').textContent()).toContain(`${readiness.score}/100`);
    const order = await page.locator('.recovery-order li').allTextContents();
    expect(order[0]).toContain('Network gateway');
    expect(order).toHaveLength(7);
    const map = page.getByTestId('dependency-map').locator('img');
    await map.waitFor();
    expect(
      await map.evaluate(
        (img: HTMLImageElement) => img.complete && img.naturalWidth > 300 && img.src.startsWith('data:image/svg+xml'),
      ),
    ).toBe(true);
    expect(await page.getByTestId('impact').locator('tbody tr').count()).toBe(7);
  });

  it('previews the plan in a frame sandboxed with no permissions at all', async () => {
    const frame = page.getByTestId('plan-preview');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const inner = page.frameLocator('[data-testid="plan-preview"]');
    await expect(inner.locator('h1').first().textContent()).resolves.toBe('Northwind Call Centre');
    await frame.scrollIntoViewIfNeeded();
    // The sandboxed frame paints in its own process: give it a moment before the picture.
    await page.waitForTimeout(500);
    await page.screenshot({
      path: path.resolve(__dirname, '../../../test-results/plan-screen/screen.png'),
      fullPage: true,
    });
    await page.screenshot({ path: path.resolve(__dirname, '../../../test-results/plan-screen/preview.png') });
  });

  it('downloads an export under its file name and lists the new revision', async () => {
    expect(await page.getByTestId('revision').count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-md').click()]);
    expect(download.suggestedFilename()).toBe('northwind-call-centre-dr-plan-r1.md');
    await page.getByTestId('revision').first().waitFor();
    expect(await page.getByTestId('revision').first().textContent()).toContain('Markdown');
    expect(await page.evaluate(() => window.notices)).toEqual([
      expect.stringMatching(/^success: Exported northwind-call-centre-dr-plan-r1\.md \(revision 1\)/),
    ]);
  });

  it('the Dashboard summary: the score, the three fixes with the most impact, a link to the Plan screen', async () => {
    await load('summary');
    const summary = page.getByTestId('readiness-summary');
    await summary.waitFor();
    const { readiness } = await ws.ok<PlanSummary>('plan.summary');
    expect(await summary.locator('.readiness-score').textContent()).toBe(`${readiness.score}/100`);
    const fixes = await summary.locator('.next-actions > li strong').allTextContents();
    expect(fixes).toEqual(readiness.next.slice(0, 3).map((a) => a.fix));
    await page.getByTestId('open-plan').click();
    expect(await page.evaluate(() => location.hash)).toBe('#/plan');
  });

  it('says why the map and the preview cannot be made instead of waiting forever (a dependency cycle)', async () => {
    const services = ws.db.prepare<[], { id: number; name: string }>('SELECT id, name FROM services').all();
    const id = (name: string) => services.find((s) => s.name === name)!.id;
    // A cycle written straight into the file (the API refuses one), as an old or hand-edited workspace may hold.
    setDependencies(ws.db, id('Network gateway'), [id('CRM')]);
    await load();
    const mapError = page.getByTestId('map-error');
    await mapError.waitFor();
    expect(await mapError.textContent()).toMatch(
      /^The map cannot be drawn: No recovery order exists: .*Network gateway/,
    );
    await page.getByTestId('preview-error').waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain('The plan cannot be worked out');
    expect(await page.getByText('Drawing the map…').count()).toBe(0);
  });
});
