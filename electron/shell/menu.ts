/** The application menu. Dark/light is the renderer's toggle, so it is not here. */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  exportPlan(): void;
  importPlan(): void;
}

/** The menu template; macOS gets its app menu and the Edit menu that copy and paste need there. */
export function applicationMenu(
  actions: MenuActions,
  options: { platform: NodeJS.Platform; devTools: boolean },
): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: '&File',
      submenu: [
        { id: 'export-plan', label: 'Export plan file…', click: () => actions.exportPlan() },
        { id: 'import-plan', label: 'Import plan file…', click: () => actions.importPlan() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
  );
  if (mac) template.push({ role: 'windowMenu' });
  return template;
}
