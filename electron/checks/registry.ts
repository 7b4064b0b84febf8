/**
 * How monitoring reaches what the app owns without the ServiceContext carrying it (the context is
 * the lead's): a runner per workspace database (or a factory for every one), and the one
 * background monitor per workspace that long-lived hosts (the window, `lifeboat serve`) start.
 */
import type { Db } from '../db/connection';
import type { RemoteRunner } from '../ports/remote';
import { CheckScheduler, type CheckEventSink, type SchedulerOptions } from './scheduler';
import { monitoringEnabled } from './settings';

const runners = new WeakMap<Db, RemoteRunner>();
let runnerFactory: ((db: Db) => RemoteRunner | null) | null = null;

/** Use `runner` for this workspace's checks (replaces any other; the caller owns and disposes it). */
export function setRunnerFor(db: Db, runner: RemoteRunner | null): void {
  if (runner) runners.set(db, runner);
  else runners.delete(db);
}

/** Build runners on demand for workspaces that have none set (e.g. from the SSH engine's runtime). */
export function setRunnerFactory(factory: ((db: Db) => RemoteRunner | null) | null): void {
  runnerFactory = factory;
}

/** The runner for a workspace, or null when no SSH engine is wired in this process. */
export function runnerFor(db: Db): RemoteRunner | null {
  const known = runners.get(db);
  if (known) return known;
  const made = runnerFactory?.(db) ?? null;
  if (made) runners.set(db, made);
  return made;
}

/** What a long-lived host hands to monitoring. */
export interface MonitorHooks {
  /** Emit contract events (`checks.result`, `alerts.raised`) to every transport. */
  emit?: CheckEventSink;
  /** Show a desktop notification (the Electron shell wires `Notification`); null when headless. */
  notify?: ((title: string, body: string) => void) | null;
  log?: (message: string) => void;
  /** Overrides for tests and the bench. */
  scheduler?: Partial<Omit<SchedulerOptions, 'db' | 'emit' | 'notify' | 'log'>>;
}

/** The background monitor of one workspace: a scheduler that follows the `monitoringEnabled` setting. */
export interface Monitor {
  scheduler: CheckScheduler;
  /** The desktop notification hook, for test alerts. */
  notify: ((title: string, body: string) => void) | null;
  /** Start or stop the scheduler after the setting or the checks changed. */
  refresh(): void;
  dispose(): Promise<void>;
}

const monitors = new WeakMap<Db, Monitor>();

/** Start background monitoring for a workspace (idempotent). It runs only while the setting is on. */
export function startMonitoring(db: Db, hooks: MonitorHooks = {}): Monitor {
  const existing = monitors.get(db);
  if (existing) return existing;
  const scheduler = new CheckScheduler({
    db,
    runner: () => runnerFor(db),
    emit: hooks.emit,
    notify: hooks.notify,
    log: hooks.log,
    ...hooks.scheduler,
  });
  const monitor: Monitor = {
    scheduler,
    notify: hooks.notify ?? null,
    refresh() {
      if (!db.open) return;
      if (monitoringEnabled(db)) {
        scheduler.refresh();
        scheduler.start();
      } else {
        scheduler.stop();
      }
    },
    async dispose() {
      monitors.delete(db);
      await scheduler.dispose();
    },
  };
  monitors.set(db, monitor);
  monitor.refresh();
  return monitor;
}

/** The monitor of a workspace, when a long-lived host started one. */
export function monitorFor(db: Db): Monitor | undefined {
  return monitors.get(db);
}
