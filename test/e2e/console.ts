/**
 * End-to-end harness: the real `lifeboat serve` on a fresh workspace in a temporary directory,
 * and a headless Chromium (Debian's) to drive the console as a user would.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { MethodName } from '../../shared/contract/index';
import type { Envelope } from '../../shared/errors';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS_DIR = '/tmp/lifeboat-shots';
const CHROMIUM = '/usr/bin/chromium';
const STARTUP_MS = 15_000;
const STOP_MS = 5_000;

export interface ConsoleHost {
  /** The address printed by `serve`, token included. */
  url: string;
  origin: string;
  token: string;
  dbPath: string;
  /** Call the API over HTTP with the token, as the page does. */
  call<T = unknown>(method: MethodName, payload?: unknown): Promise<T>;
  /** Run the `lifeboat` CLI on the same workspace file. */
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

function requireBuilt(): void {
  const missing = ['dist/electron/cli.cjs', 'dist/renderer/index.html'].filter(
    (file) => !fs.existsSync(path.join(ROOT, file)),
  );
  if (missing.length) {
    throw new Error(
      `The end-to-end tests need a build: ${missing.join(' and ')} missing. Run \`npm run build\` first (npm test does).`,
    );
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** What to do to the workspace file before the host opens it (for example: describe the lab). */
export interface HostOptions {
  prepareDb?: (dbPath: string) => Promise<unknown>;
}

/** Start `lifeboat --db <tmp>/ws.db serve --port 0` and wait (bounded) for its address. */
export async function startHost(options: HostOptions = {}): Promise<ConsoleHost> {
  requireBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-e2e-'));
  const dbPath = path.join(dir, 'ws.db');
  await options.prepareDb?.(dbPath);
  const bin = path.join(ROOT, 'bin/lifeboat.cjs');
  const child = spawn(process.execPath, [bin, '--db', dbPath, 'serve', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no "Open:" line within ${STARTUP_MS / 1000} s`), STARTUP_MS);
    const onExit = (code: number | null) => fail(`it exited with code ${code}`);
    function fail(why: string) {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(new Error(`lifeboat serve did not start: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(match[1]);
      }
    });
    child.once('exit', onExit);
  });

  const parsed = new URL(url);
  const token = parsed.searchParams.get('token')!;
  return {
    url,
    origin: parsed.origin,
    token,
    dbPath,
    async call<T>(method: MethodName, payload: unknown = {}) {
      const response = await fetch(`${parsed.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Lifeboat-Token': token },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
      const envelope = (await response.json()) as Envelope<T>;
      if (!envelope.ok) throw new Error(`${method} refused: ${envelope.error.code}: ${envelope.error.message}`);
      return envelope.value;
    },
    cli(...args: string[]) {
      return new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [bin, '--db', dbPath, ...args], { cwd: ROOT, timeout: 15_000 }, (error, out, err) =>
          error ? reject(new Error(`lifeboat ${args.join(' ')} failed: ${err || error.message}`)) : resolve(out),
        );
      });
    },
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_MS);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, without the background traffic a first run would make. */
export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`The end-to-end tests need Chromium at ${CHROMIUM}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: STARTUP_MS,
  });
}

export interface ConsoleSession {
  host: ConsoleHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page (CSP violations show up here). */
  pageErrors: string[];
  /** Stop the browser and the host. */
  cleanup(): Promise<void>;
}

/** A host on a fresh workspace and one page in a new browser, not yet navigated. */
export async function startConsole(
  options: { colorScheme?: 'light' | 'dark' } & HostOptions = {},
): Promise<ConsoleSession> {
  const [host, browser] = await Promise.all([startHost(options), launchChromium()]);
  const context = await browser.newContext({
    viewport: { width: 1360, height: 880 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    host,
    browser,
    context,
    page,
    pageErrors,
    async cleanup() {
      await browser.close().catch(() => {});
      await host.stop();
    },
  };
}

/** Retry `check` until it stops throwing or the deadline passes (then its last error is thrown). */
export async function eventually<T>(check: () => Promise<T> | T, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Save a screenshot of the page to SHOTS_DIR/<name>.png for people to look at (never compared). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Follow the sidebar link to a screen and wait for its heading (which may say more than the link). */
export async function openScreen(page: Page, title: string, heading = title): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1, exact: true }).waitFor();
}
