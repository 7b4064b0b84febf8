import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PlanExport } from '../../../shared/contract/plan';
import { SECTIONS } from '../../../electron/plan/html-parts';
import { findChromium } from '../../../electron/plan/pdf-chromium';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { HOSTILE, hostileCompany } from '../../unit/plan/hostile';
import { planToYaml, PlanDocument } from '../../../shared/plan-file';
import { describeWithTools } from './tools';

const SHOTS_DIR = path.resolve(__dirname, '../../../test-results/plan-phone');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Open a document with the network off; every request the page tries is recorded and refused. */
async function openOffline(
  browser: Browser,
  html: string,
  viewport = { width: 1200, height: 900 },
): Promise<{ page: Page; requests: string[]; dialogs: string[] }> {
  const context = await browser.newContext({ offline: true, viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.route('**/*', (route) => route.abort());
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests, dialogs };
}

describeWithTools('the HTML plan in Chromium', { chromium: true }, () => {
  let ws: TempWorkspace;
  let browser: Browser;
  let plan: PlanExport;

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    plan = await ws.ok<PlanExport>('plan.export', { format: 'html' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: findChromium()!, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    ws?.cleanup();
  });

  it('loads with the network off, asks for nothing, and shows every section, the map and every step', async () => {
    const { page, requests } = await openOffline(browser, plan.content);
    for (const [id, title] of SECTIONS) {
      const section = page.locator(`#${id}`);
      await expect(section.isVisible(), id).resolves.toBe(true);
      expect(await section.locator('h2').first().textContent()).toBe(title);
    }
    const map = await page.locator('.map svg').boundingBox();
    expect(map!.width).toBeGreaterThan(300);
    expect(await page.locator('.group').count()).toBe(5);
    expect(await page.locator('.step pre.commands').count()).toBeGreaterThan(30);
    // The embedded fonts load from their data: URLs with the network off.
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      await Promise.all([...document.fonts].map((f) => f.load().catch(() => f)));
      return {
        faces: [...document.fonts].map((f) => `${f.family.replace(/"/g, '')} ${f.weight} ${f.status}`).sort(),
        sans: document.fonts.check('16px "Lifeboat Sans"'),
        mono: document.fonts.check('16px "Lifeboat Mono"'),
      };
    });
    expect(fonts).toEqual({
      faces: ['Lifeboat Mono 400 loaded', 'Lifeboat Sans 400 loaded', 'Lifeboat Sans 700 loaded'],
      sans: true,
      mono: true,
    });
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('pre.commands')!).fontFamily)).toMatch(
      /^"Lifeboat Mono"/,
    );
    expect(requests).toEqual([]);
    await page.context().close();
  });

  it('fits a phone screen: nothing wider than the viewport but the tables that scroll in place', async () => {
    const { page } = await openOffline(browser, plan.content, { width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    fs.mkdirSync(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS_DIR, 'phone-cover.png') });
    await page.locator('#group-1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'phone-group.png') });
    await page.context().close();
  });

  it('shows hostile inventory text as text: no script runs, no element or handler is injected', async () => {
    const hostile = openTempWorkspace();
    try {
      await hostile.ok('workspace.importPlan', { yaml: planToYaml(PlanDocument.parse(hostileCompany())) });
      const exported = await hostile.ok<PlanExport>('plan.export', { format: 'html' });
      const { page, requests, dialogs } = await openOffline(browser, exported.content);
      const injected = await page.evaluate(() => ({
        elements: document.querySelectorAll('script, img, iframe, object, embed, link, form').length,
        handlers: [...document.querySelectorAll('*')].filter((el) =>
          [...el.attributes].some((a) => a.name.startsWith('on')),
        ).length,
      }));
      expect(injected).toEqual({ elements: 0, handlers: 0 });
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.locator('h1').first().textContent()).toBe(HOSTILE);
      await page.context().close();
    } finally {
      hostile.cleanup();
    }
  });
});
