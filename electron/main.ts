/** Electron's entry point. The shell lives in electron/shell/; this only hands it the real electron module. */
import path from 'node:path';
import { workspaceFromCommandLine } from './shell/options';
import { createShell } from './shell/shell';

createShell(require('electron') as typeof import('electron'), {
  // dist/electron/main.cjs → dist/
  distDir: path.resolve(__dirname, '..'),
  dbPath: workspaceFromCommandLine(process.argv.slice(1), process.env),
});
