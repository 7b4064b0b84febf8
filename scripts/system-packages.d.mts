// Types of system-packages.mjs for the tests of `npm test`'s first check and `npm run setup`.
export const SYSTEM_PACKAGES: Record<string, string[]>;
export const PACKAGE_NAMES: string[];
export const SETUP_COMMAND: string;
export function fileExists(name: string, env?: Record<string, string | undefined>): boolean;
export function dpkgInstalled(
  names: string[],
  run?: (command: string, args: string[], options: object) => { error?: Error; stdout: string | Buffer },
): ((name: string) => boolean) | null;
export function missingPackages(options?: {
  installed?: ((name: string) => boolean) | null;
  exists?: (file: string) => boolean;
}): string[];
export function missingMessage(missing: string[]): string;
