/**
 * The lab for vitest files. Use `describeLab(name, (lab) => { ...tests using lab()... })`:
 * - where the lab cannot run (not root, not Linux, tools missing) its tests are skipped with the
 *   reason printed, unless LIFEBOAT_REQUIRE_LAB=1 (CI), where a test fails with the reason;
 * - otherwise beforeAll takes the lab lock (one file uses the lab at a time: tests move VIPs and
 *   promote databases), reuses the running lab if it is healthy and pristine or starts a fresh one,
 *   and afterAll releases it, stopping the lab unless `lab up` started it, another file is waiting
 *   for it, LIFEBOAT_LAB_KEEP=1, or test/lab/global-setup.ts runs (it stops the lab at the end of
 *   the run instead, so consecutive files can share one lab).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { acquireLabLock, labAvailable, lockWaiters, startLab, stopLab, type Lab } from '../lab/lab';

export type { Lab } from '../lab/lab';

export const LAB_REQUIRED = process.env.LIFEBOAT_REQUIRE_LAB === '1';

/** Bounds: waiting for another file to finish with the lab, then bringing it up. */
const LOCK_TIMEOUT_MS = 200_000;
const START_TIMEOUT_MS = 90_000;
const HOOK_TIMEOUT_MS = LOCK_TIMEOUT_MS + START_TIMEOUT_MS + 10_000;

/** null when the lab can run here, else why not. */
export function labUnavailableReason(): string | null {
  const available = labAvailable();
  return available.ok ? null : available.reason;
}

export interface LabSession {
  lab: Lab;
  /** Give the lab back; stops it unless the CLI started it, someone waits for it, or LIFEBOAT_LAB_KEEP=1. */
  release(): Promise<void>;
}

/**
 * Take the lab for this caller: waits (bounded) for the lab lock, then reuses a healthy pristine
 * lab or starts a fresh one (`fresh: true` always starts a fresh one). Throws with the reason
 * where the lab cannot run. Call release() when done (describeLab does both).
 */
export async function requireLab(opts: { fresh?: boolean; purpose?: string } = {}): Promise<LabSession> {
  const reason = labUnavailableReason();
  if (reason) throw new Error(`the lab is unavailable: ${reason}`);
  const lock = await acquireLabLock({
    purpose: opts.purpose ?? `vitest pid ${process.pid}`,
    timeoutMs: LOCK_TIMEOUT_MS,
  });
  let lab: Lab;
  try {
    lab = await startLab({ reuse: !opts.fresh, origin: 'test', timeoutMs: START_TIMEOUT_MS });
  } catch (error) {
    lock.release();
    throw error;
  }
  let released = false;
  return {
    lab,
    async release() {
      if (released) return;
      released = true;
      try {
        const keep =
          lab.origin === 'cli' ||
          process.env.LIFEBOAT_LAB_KEEP === '1' ||
          // test/lab/global-setup.ts stops it at the end of the run
          process.env.LIFEBOAT_LAB_LINGER === '1' ||
          lockWaiters().length > 0;
        if (!keep) await stopLab(lab.dir);
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * A describe block whose tests run against the lab. `body` receives a getter for the lab (valid
 * inside tests and hooks, not while collecting).
 */
export function describeLab(name: string, body: (lab: () => Lab) => void, opts: { fresh?: boolean } = {}): void {
  const reason = labUnavailableReason();
  if (reason) {
    if (LAB_REQUIRED) {
      describe(name, () => {
        it('has the lab it needs (LIFEBOAT_REQUIRE_LAB=1)', () => {
          throw new Error(`LIFEBOAT_REQUIRE_LAB=1 but the lab cannot run here: ${reason}`);
        });
      });
    } else {
      console.warn(`[lab] skipping "${name}": ${reason}`);
      describe.skip(`${name} (skipped: ${reason})`, () =>
        body(() => {
          throw new Error('the lab is not available');
        }));
    }
    return;
  }
  describe(name, () => {
    let session: LabSession | undefined;
    beforeAll(async () => {
      session = await requireLab({ fresh: opts.fresh, purpose: `vitest: ${name}` });
    }, HOOK_TIMEOUT_MS);
    afterAll(async () => {
      await session?.release();
    }, 60_000);
    body(() => {
      if (!session) throw new Error('the lab did not start (see the beforeAll error)');
      return session.lab;
    });
  });
}

/**
 * For a single test: `const session = await labOrSkip(ctx)` skips the test (vitest `ctx.skip`)
 * with the reason where the lab cannot run, or throws when LIFEBOAT_REQUIRE_LAB=1; otherwise as
 * requireLab(). Release the session in a `finally`.
 */
export async function labOrSkip(
  ctx: { skip: (note?: string) => void },
  opts: { fresh?: boolean } = {},
): Promise<LabSession> {
  const reason = labUnavailableReason();
  if (reason) {
    if (LAB_REQUIRED) throw new Error(`LIFEBOAT_REQUIRE_LAB=1 but the lab cannot run here: ${reason}`);
    console.warn(`[lab] skipping: ${reason}`);
    ctx.skip(reason);
    throw new Error(`skipped: ${reason}`); // ctx.skip throws; this is for the type checker
  }
  return requireLab(opts);
}
