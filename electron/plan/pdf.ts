/**
 * Turning the plan's HTML into a PDF. Two renderers share one interface: the system's Chromium
 * (CLI and headless host) and Electron's printToPDF (in the app). Both print A4 with the same header
 * and footer: company, revision and date on top, hash and "page N of M" below, on every page.
 */
import { escapeHtml } from './escape';
import { FONT_STACK } from './map-svg';

/** Header and footer templates in Chromium's format (pageNumber/totalPages classes are filled in). */
export interface PdfPageSetup {
  headerTemplate: string;
  footerTemplate: string;
}

export interface PdfRenderer {
  readonly name: 'chromium' | 'electron';
  /** Print a self-contained HTML document to PDF bytes. */
  render(html: string, setup: PdfPageSetup): Promise<Uint8Array>;
  /** Start what can start before the document is ready (a browser launching while the plan is built). */
  prepare?(): void;
  /** Let go of whatever `prepare` started and `render` did not use (the export failed before printing). */
  release?(): Promise<void>;
}

/** A4 margins: room for the header and footer. */
export const PDF_MARGINS_MM = { top: 18, bottom: 18, left: 14, right: 14 } as const;

const bar = (left: string, right: string) =>
  `<div style="font-family:${escapeHtml(FONT_STACK)};font-size:8px;color:#57606a;width:100%;padding:0 ${PDF_MARGINS_MM.left}mm;display:flex;justify-content:space-between;gap:8px"><span>${left}</span><span style="white-space:nowrap">${right}</span></div>`;

/** The header and footer for a plan: every text escaped (the company name is user text). */
export function pdfPageSetup(info: { company: string; revision: number; date: string; hash: string }): PdfPageSetup {
  return {
    headerTemplate: bar(`${escapeHtml(info.company)} · disaster-recovery plan`, `revision ${info.revision} · ${escapeHtml(info.date)}`),
    footerTemplate: bar(`sha256 ${escapeHtml(info.hash.slice(0, 16))}`, 'page <span class="pageNumber"></span> of <span class="totalPages"></span>'),
  };
}

/** Settle a promise within a deadline, or fail with a message saying what took too long. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

let configured: PdfRenderer | null = null;

/**
 * Choose the renderer plan exports use (the app sets Electron's at start-up); returns the function
 * that puts the previous one back.
 */
export function setPdfRenderer(renderer: PdfRenderer | null): () => void {
  const previous = configured;
  configured = renderer;
  return () => {
    configured = previous;
  };
}

/** The renderer set by the app, or null for the default (the system's Chromium). */
export function configuredPdfRenderer(): PdfRenderer | null {
  return configured;
}
