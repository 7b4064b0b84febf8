// Types of setup.mjs for its test.
export function setupCommands(packages?: string[]): [string, string[]][];
export function setup(options?: {
  run?: (
    command: string,
    args: string[],
    options: { env?: Record<string, string | undefined> },
  ) => { error?: NodeJS.ErrnoException; status: number | null };
  uid?: number;
  log?: (message: string) => void;
  error?: (message: string) => void;
}): number;
