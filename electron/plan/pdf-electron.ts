/**
 * PDF through Electron's printToPDF on a hidden, sandboxed window with scripts off and every request
 * refused. The electron module is a parameter so main wires it in and tests can pass a fake.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDF_MARGINS_MM, setPdfRenderer, withDeadline, type PdfRenderer } from './pdf';

/** The little of Electron this renderer uses. */
export interface ElectronForPdf {
  BrowserWindow: new (options: {
    show: boolean;
    webPreferences: {
      sandbox: boolean;
      contextIsolation: boolean;
      nodeIntegration: boolean;
      javascript: boolean;
      webSecurity: boolean;
      partition: string;
    };
  }) => {
    loadFile(file: string): Promise<void>;
    destroy(): void;
    webContents: {
      printToPDF(options: Record<string, unknown>): Promise<Uint8Array>;
      session: {
        webRequest: {
          onBeforeRequest(
            listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
          ): void;
        };
      };
    };
  };
}

const LOAD_MS = 30_000;
const PRINT_MS = 120_000;
const INCH_MM = 25.4;

/** A renderer that prints on a fresh hidden window per document. */
export function electronPdfRenderer(electron: ElectronForPdf): PdfRenderer {
  return {
    name: 'electron',
    async render(html: string): Promise<Uint8Array> {
      // A file, not a data: URL: large plans pass Chromium's URL length limits.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-plan-'));
      const file = path.join(dir, 'plan.html');
      fs.writeFileSync(file, html, { mode: 0o600 });
      const window = new electron.BrowserWindow({
        show: false,
        webPreferences: {
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          javascript: false,
          webSecurity: true,
          partition: 'lifeboat-plan-pdf',
        },
      });
      try {
        // The page itself, and the font and map embedded in it as data: URLs; nothing else.
        const allowed = (url: string) =>
          (url.startsWith('file://') && url.endsWith('/plan.html')) || url.startsWith('data:');
        window.webContents.session.webRequest.onBeforeRequest((details, callback) =>
          callback({ cancel: !allowed(details.url) }),
        );
        await withDeadline(window.loadFile(file), LOAD_MS, 'loading the plan for printing');
        return await withDeadline(
          window.webContents.printToPDF({
            pageSize: 'A4',
            printBackground: true,
            // The header and footer are the document's page-margin boxes.
            displayHeaderFooter: false,
            preferCSSPageSize: true,
            // printToPDF takes margins in inches.
            margins: {
              top: PDF_MARGINS_MM.top / INCH_MM,
              bottom: PDF_MARGINS_MM.bottom / INCH_MM,
              left: PDF_MARGINS_MM.left / INCH_MM,
              right: PDF_MARGINS_MM.right / INCH_MM,
            },
          }),
          PRINT_MS,
          'printing the plan to PDF',
        );
      } finally {
        window.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Make plan exports in the app print through Electron's printToPDF; returns the function that puts
 * the previous renderer back. The shell calls it once Electron is ready:
 * `cleanups.push(useElectronPdf(electron));`
 */
export function useElectronPdf(electron: ElectronForPdf): () => void {
  return setPdfRenderer(electronPdfRenderer(electron));
}
