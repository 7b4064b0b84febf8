/** The console window: Electron's security checklist in its web preferences. */
import type { BrowserWindowConstructorOptions } from 'electron';

/** The window's options; the preload is the only code with any Electron API, and it is sandboxed. */
export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    title: 'Lifeboat',
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    // Shown on 'ready-to-show', so the window never flashes an empty frame.
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      preload,
    },
  };
}
