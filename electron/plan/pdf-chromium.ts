/**
 * PDF through the system's Chromium (or Chrome, or Edge), driven by playwright-core: for the CLI and
 * the headless host. playwright-core is loaded only when a PDF is asked for, and its absence gets a
 * message of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LifeboatError } from '../../shared/errors';
import { PDF_MARGINS_MM, withDeadline, type PdfRenderer } from './pdf';

const CANDIDATES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'chrome.exe',
  'msedge.exe',
];
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LAUNCH_MS = 30_000;
const PRINT_MS = 120_000;

/** The usual install places on macOS and Windows (Edge is Chromium too), in the order tried. */
export function installedBrowsers(env: NodeJS.ProcessEnv): string[] {
  const mac = [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ];
  const windowsRoots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((d): d is string =>
    Boolean(d),
  );
  const windows = windowsRoots.flatMap((root) => [
    path.join(root, 'Chromium', 'Application', 'chrome.exe'),
    path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
    path.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
  ]);
  return [...mac, ...windows];
}

/**
 * Where Chromium is: $LIFEBOAT_CHROMIUM when set (and only there), else /usr/bin/chromium, the
 * first candidate on PATH, or a usual macOS/Windows install place; null when absent.
 */
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
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    for (const name of CANDIDATES) if (executable(path.join(dir, name))) return path.join(dir, name);
  }
  return installedBrowsers(env).find(executable) ?? null;
}

export const NO_CHROMIUM = 'no Chromium found: install chromium or export HTML';

/** What to say when there is no Chromium: where it was looked for and what to do instead. */
export function noChromiumMessage(env: NodeJS.ProcessEnv = process.env): string {
  const where = env.LIFEBOAT_CHROMIUM
    ? `LIFEBOAT_CHROMIUM is set to ${env.LIFEBOAT_CHROMIUM}, which is not an executable file`
    : 'looked at /usr/bin/chromium, chromium or Google Chrome on PATH, and the usual macOS and Windows install places';
  return `${NO_CHROMIUM} (${where}). Set LIFEBOAT_CHROMIUM to a Chromium or Chrome executable, or export HTML and print it from a browser.`;
}

/** What to say when the PDF module is missing (it is a development dependency of the CLI bundle). */
export const NO_PLAYWRIGHT =
  'PDF export needs the playwright-core package, which is not installed next to this copy of Lifeboat: run `npm install playwright-core` in its folder, or export HTML and print it from a browser';

type Playwright = typeof import('playwright-core');

const importPlaywright = (): Promise<Playwright> => import('playwright-core');

/** Load playwright-core, turning "not installed" into a message that says so. */
async function loadPlaywright(load: () => Promise<Playwright>): Promise<Playwright> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new LifeboatError('unavailable', NO_PLAYWRIGHT);
    throw error;
  }
}

type Browser = Awaited<ReturnType<Playwright['chromium']['launch']>>;

/**
 * A renderer that launches Chromium for each document and closes it afterwards. `prepare` starts
 * the launch early, so Chromium starts up while the plan is being built.
 */
export function chromiumPdfRenderer(
  executablePath: string | null = findChromium(),
  loadModule: () => Promise<Playwright> = importPlaywright,
): PdfRenderer {
  let launching: Promise<Browser> | null = null;
  const launch = (): Promise<Browser> => {
    const started = executablePath
      ? loadPlaywright(loadModule).then(({ chromium }) =>
          chromium.launch({ executablePath, args: ARGS, timeout: LAUNCH_MS }),
        )
      : Promise.reject(new LifeboatError('unavailable', noChromiumMessage()));
    started.catch(() => {}); // awaited (and reported) by render; never an unhandled rejection
    return started;
  };
  const take = (): Promise<Browser> => {
    const browser = launching ?? launch();
    launching = null;
    return browser;
  };
  return {
    name: 'chromium',
    prepare() {
      launching ??= launch();
    },
    async release() {
      const pending = launching;
      launching = null;
      if (pending) await pending.then((b) => b.close()).catch(() => {});
    },
    async render(html: string): Promise<Uint8Array> {
      const browser = await take();
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
            // The header and footer are the document's page-margin boxes.
            displayHeaderFooter: false,
            preferCSSPageSize: true,
            margin: {
              top: `${PDF_MARGINS_MM.top}mm`,
              bottom: `${PDF_MARGINS_MM.bottom}mm`,
              left: `${PDF_MARGINS_MM.left}mm`,
              right: `${PDF_MARGINS_MM.right}mm`,
            },
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
