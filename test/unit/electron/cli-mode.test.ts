/** The desktop app's CLI mode: the `lifeboat` script beside the app runs the CLI in the app's own process. */
import { describe, expect, it } from 'vitest';
import { CLI_MODE_FLAG, cliModeArguments, runCliMode } from '../../../electron/shell/cli-mode';

describe('the app binary in CLI mode', () => {
  it('takes the CLI arguments after the flag, in a packaged app and under `electron main.cjs`', () => {
    expect(cliModeArguments(['/opt/Lifeboat/lifeboat-desktop', CLI_MODE_FLAG, 'serve', '--port', '8470'])).toEqual([
      'serve',
      '--port',
      '8470',
    ]);
    expect(cliModeArguments(['/usr/bin/electron', '/w/dist/electron/main.cjs', CLI_MODE_FLAG, 'methods'])).toEqual([
      'methods',
    ]);
  });

  it('opens the window when the flag is absent or comes later (a workspace named like the flag cannot switch mode)', () => {
    expect(cliModeArguments(['/opt/Lifeboat/lifeboat-desktop'])).toBeNull();
    expect(cliModeArguments(['/opt/Lifeboat/lifeboat-desktop', '--db', '/w/ws.db', CLI_MODE_FLAG])).toBeNull();
  });

  it('ends the app with the exit code of the command, and with 1 when it throws', async () => {
    const exits: number[] = [];
    const app = { exit: (code: number) => void exits.push(code) };
    const seen: string[][] = [];
    await runCliMode(app, ['methods'], async (argv) => (seen.push(argv), 3));
    await runCliMode(app, ['boom'], async () => {
      throw new Error('no workspace');
    });
    expect(seen).toEqual([['methods']]);
    expect(exits).toEqual([3, 1]);
  });
});
