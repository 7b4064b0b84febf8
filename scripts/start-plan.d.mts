// Types of start-plan.mjs for the tests that check `npm start`'s decision.
export type ConsoleChoice =
  { kind: 'electron'; binary: string; binding: string } | { kind: 'headless'; reason: string };
export function lacksDisplay(platform: string, env: Record<string, string | undefined>): boolean;
export function chooseConsole(steps: {
  platform: string;
  env: Record<string, string | undefined>;
  findElectron(): string | null;
  fetchElectron(): string | null;
  buildNative(): { binding: string; problem?: undefined } | { problem: string; binding?: undefined };
}): ConsoleChoice;
export function headlessNotice(reason: string): string;
export function headlessArgs(root: string, options: { db?: string; port?: string }): string[];
export function electronEnv(
  env: Record<string, string | undefined>,
  binding: string,
): Record<string, string | undefined>;
