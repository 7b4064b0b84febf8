/**
 * What the plan's integration tests need from the machine: Chromium, and poppler's pdftotext and
 * pdftoppm. Where one is missing the tests skip with the reason printed, unless
 * LIFEBOAT_REQUIRE_LAB=1 (CI), where the reason fails them.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { findChromium } from '../../../electron/plan/pdf-chromium';

const REQUIRED = process.env.LIFEBOAT_REQUIRE_LAB === '1';

function onPath(command: string): boolean {
  return spawnSync(command, ['-v'], { stdio: 'ignore' }).error === undefined;
}

/** null when everything is there, else what is missing. */
export function missingTools(tools: { chromium?: boolean; poppler?: boolean }): string | null {
  const missing: string[] = [];
  if (tools.chromium && !findChromium())
    missing.push('Chromium (LIFEBOAT_CHROMIUM, /usr/bin/chromium, on PATH, or a usual macOS/Windows install place)');
  if (tools.poppler && !(onPath('pdftotext') && onPath('pdftoppm')))
    missing.push("poppler-utils' pdftotext and pdftoppm");
  return missing.length ? `not installed: ${missing.join(', ')}` : null;
}

/** describe() that runs only where the tools exist (see the file comment). */
export function describeWithTools(
  name: string,
  tools: { chromium?: boolean; poppler?: boolean },
  body: () => void,
): void {
  const reason = missingTools(tools);
  if (!reason) {
    describe(name, body);
    return;
  }
  if (REQUIRED) {
    describe(name, () =>
      it('has what it needs', () => {
        throw new Error(`${name}: ${reason} (LIFEBOAT_REQUIRE_LAB=1 makes this a failure)`);
      }),
    );
    return;
  }
  console.warn(`skipping "${name}": ${reason}`);
  describe.skip(name, body);
}
