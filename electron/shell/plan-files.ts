/**
 * File → Export / Import plan file: the dialogs and the file I/O happen in main, the work is the
 * dispatcher's (`workspace.exportPlan`, `workspace.importPlan`), so the rules are those of every
 * other transport. Failures are shown in a message box; nothing is half-written or half-imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BaseWindow, Dialog } from 'electron';
import { formatPath, type ApiErrorBody } from '../../shared/errors';
import type { Dispatcher } from '../host/dispatch';

/** The contract's limit for a plan file; checked before reading so a huge file is never loaded. */
const MAX_PLAN_BYTES = 10 * 1024 * 1024;
const PLAN_FILTERS = [{ name: 'Lifeboat plan file (YAML)', extensions: ['yaml', 'yml'] }];

export interface PlanFileDeps {
  dialog: Pick<Dialog, 'showSaveDialog' | 'showOpenDialog' | 'showMessageBox' | 'showErrorBox'>;
  dispatcher: Dispatcher;
  /** The window dialogs attach to, if there is one. */
  window: () => BaseWindow | null;
}

/** Ask where to save, export the workspace, write the file atomically. */
export async function exportPlanFile(deps: PlanFileDeps): Promise<void> {
  const win = deps.window();
  const options = { title: 'Export plan file', defaultPath: 'lifeboat-plan.yaml', filters: PLAN_FILTERS };
  const choice = await (win ? deps.dialog.showSaveDialog(win, options) : deps.dialog.showSaveDialog(options));
  if (choice.canceled || !choice.filePath) return;
  const envelope = await deps.dispatcher.dispatch('workspace.exportPlan', {});
  if (!envelope.ok) return deps.dialog.showErrorBox('The plan file was not exported', describeApiError(envelope.error));
  const tmp = `${choice.filePath}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, (envelope.value as { yaml: string }).yaml, { mode: 0o644 });
    fs.renameSync(tmp, choice.filePath);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    deps.dialog.showErrorBox(
      'The plan file was not exported',
      `Cannot write ${choice.filePath}: ${(error as Error).message}`,
    );
  }
}

/** Ask for a file, confirm the replacement, import it all or nothing, and say what happened. */
export async function importPlanFile(deps: PlanFileDeps): Promise<void> {
  const win = deps.window();
  const openOptions = { title: 'Import plan file', properties: ['openFile' as const], filters: PLAN_FILTERS };
  const choice = await (win ? deps.dialog.showOpenDialog(win, openOptions) : deps.dialog.showOpenDialog(openOptions));
  const file = choice.filePaths[0];
  if (choice.canceled || !file) return;
  const failed = (detail: string) =>
    deps.dialog.showErrorBox('The plan file was not imported', `${detail}\n\nThe workspace was not changed.`);

  let yaml: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return failed(`${file} is not a file.`);
    if (stat.size > MAX_PLAN_BYTES)
      return failed(`${file} is ${(stat.size / 1048576).toFixed(1)} MiB; plan files are 10 MiB at most.`);
    yaml = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return failed(`Cannot read ${file}: ${(error as Error).message}`);
  }

  const confirmOptions = {
    type: 'warning' as const,
    title: 'Import plan file',
    message: `Replace the whole workspace with ${path.basename(file)}?`,
    detail: 'Everything in the current workspace is replaced. Export it first if you may need it again.',
    buttons: ['Replace workspace', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  };
  const confirm = await (win
    ? deps.dialog.showMessageBox(win, confirmOptions)
    : deps.dialog.showMessageBox(confirmOptions));
  if (confirm.response !== 0) return;

  const envelope = await deps.dispatcher.dispatch('workspace.importPlan', { yaml });
  if (!envelope.ok) return failed(describeApiError(envelope.error));
  const counts = Object.entries(envelope.value as Record<string, number>).map(([kind, n]) => `${n} ${kind}`);
  const doneOptions = {
    type: 'info' as const,
    title: 'Import plan file',
    message: `Imported ${path.basename(file)}`,
    detail: counts.join(', '),
  };
  await (win ? deps.dialog.showMessageBox(win, doneOptions) : deps.dialog.showMessageBox(doneOptions));
}

/** An error envelope as a person reads it: the message, then each bad field on its own line. */
export function describeApiError(error: ApiErrorBody): string {
  const lines = [error.message];
  for (const issue of error.issues ?? []) {
    const line = `${formatPath(issue.path) || '(the file)'}: ${issue.message}`;
    if (line !== error.message) lines.push(line);
  }
  return lines.join('\n');
}
