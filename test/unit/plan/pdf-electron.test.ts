import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { electronPdfRenderer, useElectronPdf, type ElectronForPdf } from '../../../electron/plan/pdf-electron';
import { configuredPdfRenderer } from '../../../electron/plan/pdf';

// The real module fits the little the renderer asks for (a type error here would break the shell's call).
export const realElectronFits = (electron: Pick<typeof import('electron'), 'BrowserWindow'>): ElectronForPdf =>
  electron;

/** A fake electron module recording what the renderer asks of it. */
function fakeElectron(options: { failPrint?: boolean } = {}) {
  const seen = {
    windowOptions: null as unknown,
    loaded: '',
    html: '',
    printOptions: null as Record<string, unknown> | null,
    destroyed: false,
    blocked: [] as string[],
  };
  type Listener = (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void;
  let listener: Listener = () => {};
  class BrowserWindow {
    constructor(windowOptions: unknown) {
      seen.windowOptions = windowOptions;
    }
    webContents = {
      session: { webRequest: { onBeforeRequest: (l: Listener) => void (listener = l) } },
      printToPDF: async (printOptions: Record<string, unknown>) => {
        seen.printOptions = printOptions;
        if (options.failPrint) throw new Error('printing failed');
        return new TextEncoder().encode('%PDF-electron');
      },
    };
    async loadFile(file: string) {
      seen.loaded = file;
      seen.html = fs.readFileSync(file, 'utf8');
      // The page asks for itself, then for something on the network.
      for (const url of [
        `file://${file}`,
        'data:font/woff2;base64,AAAA',
        'https://example.com/x.png',
        'file:///etc/passwd',
      ])
        listener({ url }, (r) => void (r.cancel && seen.blocked.push(url)));
    }
    destroy() {
      seen.destroyed = true;
    }
  }
  return { electron: { BrowserWindow } as unknown as ElectronForPdf, seen };
}

describe('electron PDF renderer', () => {
  it('prints A4 with the header and footer on a hidden, sandboxed, script-less window', async () => {
    const { electron, seen } = fakeElectron();
    const pdf = await electronPdfRenderer(electron).render('<h1>plan</h1>');
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-electron');
    expect(seen.windowOptions).toMatchObject({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
    });
    expect(seen.html).toBe('<h1>plan</h1>');
    expect(seen.printOptions).toMatchObject({
      pageSize: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: false,
    });
    expect(seen.blocked).toEqual(['https://example.com/x.png', 'file:///etc/passwd']);
    expect(seen.destroyed).toBe(true);
    expect(fs.existsSync(seen.loaded)).toBe(false);
  });

  it('becomes the renderer of plan exports once the app wires it in, until undone', () => {
    const { electron } = fakeElectron();
    const undo = useElectronPdf(electron);
    expect(configuredPdfRenderer()?.name).toBe('electron');
    undo();
    expect(configuredPdfRenderer()).toBeNull();
  });

  it('closes the window and removes the file when printing fails', async () => {
    const { electron, seen } = fakeElectron({ failPrint: true });
    await expect(electronPdfRenderer(electron).render('<p>x</p>')).rejects.toThrow('printing failed');
    expect(seen.destroyed).toBe(true);
    expect(fs.existsSync(seen.loaded)).toBe(false);
  });
});
