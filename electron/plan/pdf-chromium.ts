/** PDF through the system's Chromium, driven by playwright-core: for the CLI and the headless host. */
import fs from 'node:fs';
import path from 'node:path';
import { LifeboatError } from '../../shared/errors';
import { PDF_MARGINS_MM, withDeadline, type PdfPageSetup, type PdfRenderer } from './pdf';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LAUNCH_MS = 30_000;
const PRINT_MS = 120_000;

/** Where Chromium is: $LIFEBOAT_CHROMIUM, /usr/bin/chromium, or the first candidate on PATH; null when absent. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (env.LIFEBOAT_CHROMIUM) return executable(env.LIFEBOAT_CHROMIUM) ? env.LIFEBOAT_CHROMIUM : null;
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    for (const name of CANDIDATES) if (executable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

export const NO_CHROMIUM = 'no Chromium found: install chromium or export HTML';

/** A renderer that launches Chromium for each document and closes it afterwards. */
export function chromiumPdfRenderer(executablePath: string | null = findChromium()): PdfRenderer {
  return {
    name: 'chromium',
    async render(html: string, setup: PdfPageSetup): Promise<Uint8Array> {
      if (!executablePath) throw new LifeboatError('unavailable', NO_CHROMIUM);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath, args: ARGS, timeout: LAUNCH_MS });
      try {
        // The plan needs no script and no network: both are switched off.
        const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
        const page = await context.newPage();
        await page.route('**/*', (route) => route.abort());
        // Lay the document out for print from the start; with no script and nothing to fetch it is
        // complete once parsed.
        await page.emulateMedia({ media: 'print' });
        await page.setContent(html, { waitUntil: 'domcontentloaded', timeout: PRINT_MS });
        const pdf = await withDeadline(
          page.pdf({
            format: 'A4',
            printBackground: true,
            displayHeaderFooter: true,
            headerTemplate: setup.headerTemplate,
            footerTemplate: setup.footerTemplate,
            margin: { top: `${PDF_MARGINS_MM.top}mm`, bottom: `${PDF_MARGINS_MM.bottom}mm`, left: `${PDF_MARGINS_MM.left}mm`, right: `${PDF_MARGINS_MM.right}mm` },
          }),
          PRINT_MS,
          'printing the plan to PDF',
        );
        return new Uint8Array(pdf);
      } finally {
        await browser.close().catch(() => {});
      }
    },
  };
}
