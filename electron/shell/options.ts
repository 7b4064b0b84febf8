/** What the shell is started with: where the built files are and which workspace to open. */
import path from 'node:path';

export interface ShellOptions {
  /** The build output: holds electron/preload.cjs and renderer/index.html. */
  distDir: string;
  /** The workspace file; Electron's userData/workspace.db when absent. */
  dbPath?: string;
  log?: (message: string) => void;
}

/** Where the shell finds its preload and its page. */
export function shellPaths(distDir: string): { preload: string; rendererIndex: string } {
  return {
    preload: path.join(distDir, 'electron', 'preload.cjs'),
    rendererIndex: path.join(distDir, 'renderer', 'index.html'),
  };
}

/** The workspace chosen on the command line (`--db FILE`, `--db=FILE`) or in LIFEBOAT_DB, resolved. */
export function workspaceFromCommandLine(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): string | undefined {
  let chosen: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--db' && i + 1 < argv.length) chosen = argv[++i];
    else if (argv[i].startsWith('--db=')) chosen = argv[i].slice('--db='.length);
  }
  chosen ||= env.LIFEBOAT_DB || undefined;
  return chosen ? path.resolve(cwd, chosen) : undefined;
}
