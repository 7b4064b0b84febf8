/**
 * The one background monitor of a workspace that long-lived hosts (the window, `lifeboat serve`)
 * start: a scheduler that follows the `monitoringEnabled` setting. The host puts it on the
 * ServiceContext (`ctx.monitor`), where the check services find it.
 */
import type { Db } from '../db/connection';
import type { MonitorPort } from '../ports/context';
import type { RemoteRunner } from '../ports/remote';
import type { AlertSecrets } from '../ports/alert-secrets';
import { CheckScheduler, type CheckEventSink, type SchedulerOptions } from './scheduler';
import { monitoringEnabled } from './settings';

/** What a long-lived host hands to monitoring. */
export interface MonitorHooks {
  /** Emit contract events (`checks.result`, `alerts.raised`) to every transport. */
  emit?: CheckEventSink;
  /** Show a desktop notification (the Electron shell wires `Notification`); null when headless. */
  notify?: ((title: string, body: string) => void) | null;
  log?: (message: string) => void;
  /** Where the SMTP password for alert mail is kept (the context's). */
  alertSecrets?: () => AlertSecrets;
  /** Overrides for tests and the bench. */
  scheduler?: Partial<Omit<SchedulerOptions, 'db' | 'emit' | 'notify' | 'log' | 'alertSecrets'>>;
}

/** The background monitor of one workspace. */
export interface Monitor extends MonitorPort {
  scheduler: CheckScheduler;
  /** Stop the scheduler; settles when the alert deliveries in flight have ended. */
  dispose(): Promise<void>;
}

/** Start background monitoring of a workspace over `runner` (read at each sweep). It runs only while the setting is on. */
export function startMonitoring(db: Db, runner: () => RemoteRunner | null, hooks: MonitorHooks = {}): Monitor {
  const scheduler = new CheckScheduler({
    db,
    runner,
    emit: hooks.emit,
    notify: hooks.notify,
    log: hooks.log,
    alertSecrets: hooks.alertSecrets,
    ...hooks.scheduler,
  });
  const monitor: Monitor = {
    scheduler,
    notify: hooks.notify ?? null,
    get running() {
      return scheduler.isRunning;
    },
    get lastSweep() {
      return scheduler.lastSweep;
    },
    runNow: (filter) => scheduler.runNow(filter),
    refresh() {
      if (!db.open) return;
      if (monitoringEnabled(db)) {
        scheduler.refresh();
        scheduler.start();
      } else {
        scheduler.stop();
      }
    },
    dispose: () => scheduler.dispose(),
  };
  monitor.refresh();
  return monitor;
}
