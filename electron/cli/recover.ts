/**
 * `lifeboat recover`: recover the company. `--test` runs the test recovery (recover-test.ts), which
 * reads every step's preconditions and changes nothing.
 */
import type { Command } from 'commander';
import { recoverTest } from './recover-test';
import { Exit, type CliEnv } from './env';

interface RecoverOptions {
  test?: boolean;
  groups?: string;
  json?: boolean;
}

export function registerRecoverCommands(program: Command, env: CliEnv): void {
  program
    .command('recover')
    .description("Recover the company; --test reads every step's preconditions on the real hosts and changes nothing")
    .option('--test', "test recovery: read-only, stores each group's result (a failed one marks it broken)")
    .option('--groups <names>', 'only these groups, comma-separated (e.g. db,web)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: RecoverOptions) => {
      if (opts.test) return recoverTest(env, opts);
      env.io.err('error: only `lifeboat recover --test` is available here');
      throw new Exit(2);
    });
}
