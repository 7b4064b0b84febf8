/**
 * The `lifeboat` command. Every subcommand goes through the same dispatcher as the window, so
 * input is validated by the contract and errors read the same everywhere. Command modules live in
 * electron/cli/; add one to COMMANDS.
 */
import { Command, CommanderError } from 'commander';
import path from 'node:path';
import { APP_VERSION, type AppOptions } from './app';
import { defaultCliWorkspacePath } from './db/connection';
import { createEnv, Exit, type CliEnv, type CliIo } from './cli/env';
import { registerWorkspaceCommands } from './cli/workspace';
import { registerPlanCommands } from './cli/plan';
import { registerHostCommands } from './cli/hosts';
import { registerCheckCommands } from './cli/checks';
import { registerFailoverCommands } from './cli/failover';
import { registerRunCommands } from './cli/runs';
import { registerAlertCommands } from './cli/alerts';
import { registerRecoverCommands } from './cli/recover';
import { registerSyncCommands } from './cli/sync';
import { registerReprotectCommands } from './cli/reprotect';

export type { CliIo } from './cli/env';

const COMMANDS: ((program: Command, env: CliEnv) => void)[] = [
  registerWorkspaceCommands,
  registerPlanCommands,
  registerHostCommands,
  registerCheckCommands,
  registerFailoverCommands,
  registerRunCommands,
  registerAlertCommands,
  registerRecoverCommands,
  registerSyncCommands,
  registerReprotectCommands,
];

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Run the CLI; `appOptions` reach every workspace a command opens (tests pass a scripted runner). */
export async function main(argv: string[], io: CliIo = defaultIo, appOptions: AppOptions = {}): Promise<number> {
  const program = new Command('lifeboat')
    .description('Lifeboat: keep the business running when a server dies')
    .version(APP_VERSION)
    .option('--db <file>', 'the workspace file (default: $XDG_DATA_HOME/lifeboat/workspace.db)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const env = createEnv(
    io,
    () => path.resolve((program.opts().db as string | undefined) ?? defaultCliWorkspacePath()),
    appOptions,
  );
  for (const register of COMMANDS) register(program, env);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const e = error as { code?: string; message?: string };
    io.err(`error${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(error)}`);
    return 1;
  }
}
