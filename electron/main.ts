/** Electron's entry point. The shell lives in electron/shell/; this only hands it the real electron module. */
import path from 'node:path';
import { main as cliMain } from './cli';
import { cliModeArguments, runCliMode } from './shell/cli-mode';
import { workspaceFromCommandLine } from './shell/options';
import { createShell } from './shell/shell';

const electron = require('electron') as typeof import('electron');
const cliArguments = cliModeArguments(process.argv);
if (cliArguments) {
  void runCliMode(electron.app, cliArguments, cliMain);
} else {
  createShell(electron, {
    // dist/electron/main.cjs → dist/
    distDir: path.resolve(__dirname, '..'),
    dbPath: workspaceFromCommandLine(process.argv.slice(1), process.env),
  });
}
