/**
 * Turning the plan's HTML into a PDF. Two renderers share one interface: the system's Chromium
 * (CLI and headless host) and Electron's printToPDF (in the app). Both print A4 from the document's
 * own page rules: the header and footer (company, revision, date, hash, "page N of M") are CSS
 * page-margin boxes in the plan's stylesheet, so a browser's print dialog prints them too.
 */

export interface PdfRenderer {
  readonly name: 'chromium' | 'electron';
  /** Print a self-contained HTML document to PDF bytes. */
  render(html: string): Promise<Uint8Array>;
  /** Start what can start before the document is ready (a browser launching while the plan is built). */
  prepare?(): void;
  /** Let go of whatever `prepare` started and `render` did not use (the export failed before printing). */
  release?(): Promise<void>;
}

/** A4 margins, as the stylesheet's @page rule has them: room for the header and footer. */
export const PDF_MARGINS_MM = { top: 18, bottom: 18, left: 14, right: 14 } as const;

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
