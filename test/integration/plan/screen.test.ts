import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findChromium } from '../../../electron/plan/pdf-chromium';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { describeWithTools } from './tools';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    const { js, css } = await bundle();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: findChromium()!, args: ARGS });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.exposeFunction('lifeboatCall', (method: string, payload: unknown) => ws.dispatcher.dispatch(method, payload));
    await page.setContent(`<!doctype html><html><head><style>${css}</style></head><body><div id="root"></div><script>${js.replace(/<\/script/gi, '<\\/script')}</script></body></html>`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    ws?.cleanup();
  });

  it('shows readiness, the recovery order, the map as an image and the impact', async () => {
    await page.getByTestId('recovery-order').waitFor();
    expect(await page.getByTestId('readiness').textContent()).toContain('57/100');
    const order = await page.locator('.recovery-order li').allTextContents();
    expect(order[0]).toContain('Network gateway');
    expect(order).toHaveLength(7);
    const map = page.getByTestId('dependency-map').locator('img');
    await map.waitFor();
    expect(await map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 300 && img.src.startsWith('data:image/svg+xml'))).toBe(true);
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
    await page.screenshot({ path: path.resolve(__dirname, '../../../test-results/plan-screen/screen.png'), fullPage: true });
    await page.screenshot({ path: path.resolve(__dirname, '../../../test-results/plan-screen/preview.png') });
  });

  it('downloads an export under its file name and lists the new revision', async () => {
    expect(await page.getByTestId('revision').count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-md').click()]);
    expect(download.suggestedFilename()).toBe('northwind-call-centre-dr-plan-r1.md');
    await page.getByTestId('revision').first().waitFor();
    expect(await page.getByTestId('revision').first().textContent()).toContain('Markdown');
    expect(await page.evaluate(() => window.notices)).toEqual([expect.stringMatching(/^success: Exported northwind-call-centre-dr-plan-r1\.md \(revision 1\)/)]);
  });
});
