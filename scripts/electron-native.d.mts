// Types of electron-native.mjs for its tests.
export const NATIVE_BUILD_TIMEOUT_MS: number;
export type NativeBuild = { binding: string; problem?: undefined } | { problem: string; binding?: undefined };
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error & { code?: string };
}
export function electronBindingPath(root: string, electronVersion: string): string;
export function findNodeGyp(options?: {
  env?: Record<string, string | undefined>;
  resolve?: (id: string) => string;
}): string | null;
export function buildFailureCause(output: string, status: number | null): string;
export function ensureElectronSqlite(options: {
  root: string;
  electronVersion: string;
  nodeGyp: string | null;
  log?: (line: string) => void;
  run?: (command: string, args: string[], options: { cwd: string; timeout: number }) => RunResult;
  timeoutMs?: number;
}): NativeBuild;
