/**
 * The `lifeboat` command of an installed desktop app. The packaged binary may not run as Node (its
 * RunAsNode fuse is off), and its better-sqlite3 is built for Electron's ABI, so the CLI runs inside
 * the app's own main process: the `lifeboat` script beside the app (resources/bin/) starts the binary
 * with CLI_MODE_FLAG and the command's arguments. No window is opened.
 */

/** The first argument of the app binary that means "run the CLI with what follows". */
export const CLI_MODE_FLAG = '--lifeboat-cli';

/** The CLI's arguments when the binary was started in CLI mode, otherwise null (open the window). */
export function cliModeArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(CLI_MODE_FLAG);
  // Only as the first argument: a page or a workspace path can never switch the window into it.
  return at >= 1 && at <= 2 ? argv.slice(at + 1) : null;
}

/** What running the CLI in Electron needs from Electron's app object. */
export interface CliModeApp {
  exit(code: number): void;
  dock?: { hide(): void } | undefined;
}

/** Run the CLI in this process and end the app with its exit code. */
export async function runCliMode(
  app: CliModeApp,
  args: string[],
  cli: (argv: string[]) => Promise<number>,
): Promise<void> {
  app.dock?.hide();
  let code: number;
  try {
    code = await cli(args);
  } catch (error) {
    process.stderr.write(`lifeboat: ${(error as Error)?.message ?? String(error)}\n`);
    code = 1;
  }
  app.exit(code);
}
