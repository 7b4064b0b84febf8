/**
 * The test recovery on a schedule: while monitoring is on, every group is tested when the newest
 * scheduled test is older than the configured interval (7 days unless set), and at once when none
 * has run. One timer owned here looks every minute (bounded work: a look is one query); runs never
 * overlap, a failing run never stops the loop, and dispose() clears the timer and waits for a run
 * in flight. Results are stored like an operator's (trigger "schedule"), so a failed one marks the
 * group broken on the Dashboard and in readiness.
 */
import type { Db } from '../db/connection';
import type { RemoteRunner } from '../ports/remote';
import { lastScheduledTestRecoveryAt } from '../db/repositories/test-recoveries';
import { runTestRecovery } from './test-recovery';
import { testRecoverySettings } from './test-recovery-settings';

const DAY_MS = 86_400_000;

export interface TestRecoveryScheduleOptions {
  db: Db;
  /** The runner of the workspace now (null: nothing can run, the look is skipped). */
  runner: () => RemoteRunner | null;
  /** Whether monitoring is on. */
  enabled: () => boolean;
  /** After a scheduled test stored its results (the host tells the windows). */
  onFinished?: (passed: boolean) => void;
  log?: (message: string) => void;
  now?: () => number;
  /** How often the schedule is looked at (default 60 s). */
  lookEveryMs?: number;
}

/** Whether a scheduled test recovery is due at `now`. */
export function testRecoveryDue(db: Db, now: number): boolean {
  const last = lastScheduledTestRecoveryAt(db);
  return last === null || now - last >= testRecoverySettings(db).intervalDays * DAY_MS;
}

export class TestRecoverySchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private disposed = false;

  constructor(private readonly options: TestRecoveryScheduleOptions) {}

  /** Start looking at the schedule (idempotent). */
  start(): void {
    if (this.timer || this.disposed) return;
    this.timer = setInterval(() => void this.look(), this.options.lookEveryMs ?? 60_000);
    this.timer.unref?.();
  }

  /** Look once: run the test recovery when monitoring is on and it is due. Resolves when any run ends. */
  async look(): Promise<void> {
    const { db, log = () => {} } = this.options;
    if (this.disposed || this.running || !db.open) return;
    const now = (this.options.now ?? Date.now)();
    const runner = this.options.runner();
    try {
      if (!runner || !this.options.enabled() || !testRecoveryDue(db, now)) return;
    } catch (error) {
      log(`the test recovery schedule could not be read: ${(error as Error).message}`);
      return;
    }
    this.running = runTestRecovery({ db, runner, actor: 'lifeboat (schedule)', trigger: 'schedule' })
      .then((report) => {
        log(`scheduled test recovery ${report.passed ? 'passed' : 'found broken groups'} in ${report.durationMs} ms`);
        this.options.onFinished?.(report.passed);
      })
      .catch((error: unknown) => log(`the scheduled test recovery failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
    await this.running;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
