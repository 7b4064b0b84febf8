/**
 * What a long-lived host (the Electron window, `lifeboat serve`) adds to an open workspace: one SSH
 * runtime whose pool serves checks, failovers and host-key trust alike; background monitoring whose
 * `checks.result` and `alerts.raised` events reach every transport; failover `run.*` events on the
 * same dispatcher. One owner disposes it all, before the workspace closes.
 */
import type { App } from './app';
import { startMonitoring, type Monitor, type MonitorHooks } from './checks/monitor';
import type { CheckEventSink } from './checks/scheduler';
import type { EventPayload } from '../shared/contract/index';
import type { ServiceContext } from './ports/context';
import type { RemoteRunner } from './ports/remote';
import type { AlertSecrets } from './ports/alert-secrets';
import type { PassphraseProvider, SecretStore } from './ssh/credentials';
import { PassphrasePrompts } from './ssh/passphrase-prompts';
import { createSshRuntime, sshPortOf, type SshRuntime } from './ssh/runtime';
import { createSshRunner } from './ssh/runner';
import type { SshTimeouts } from './ssh/transport';
import { monitoringEnabled } from './checks/settings';
import { TestRecoverySchedule } from './failover/test-recovery-schedule';
import { startHeartbeat, type Heartbeat, type HeartbeatTimings } from './watcher/heartbeat';

/** What the host that starts monitoring provides. */
export interface LiveHostOptions {
  /** Desktop notifications (the Electron shell's); null where there is no desktop (`serve`). */
  notify?: ((title: string, body: string) => void) | null;
  /** Where SSH passwords are kept; without one they are refused. */
  secrets?: SecretStore;
  /** Where the SMTP password for alert mail is kept (the app's keyring); the context's own by default. */
  alertSecrets?: AlertSecrets;
  /** Asks for the passphrase of an encrypted key file; by default the open windows are asked (contract events). */
  passphrases?: PassphraseProvider | null;
  /** How long a passphrase question waits for an answer (default 2 minutes). */
  passphraseTimeoutMs?: number;
  /** How long a declined key is not asked for again (default 5 minutes). */
  passphraseQuietMs?: number;
  log?: (message: string) => void;
  /** Shorter deadlines, for tests. */
  timeouts?: Partial<SshTimeouts>;
  /** Scheduler overrides, for tests and the bench. */
  scheduler?: MonitorHooks['scheduler'];
  /** Shorter heartbeat timings, for tests. */
  heartbeat?: Partial<HeartbeatTimings>;
}

/** The running wiring of one workspace. */
export interface LiveHost {
  runtime: SshRuntime;
  runner: RemoteRunner;
  monitor: Monitor;
  /** The watcher's heartbeat: pings the workspace's heartbeat URL while monitoring runs. */
  heartbeat: Heartbeat;
  prompts: PassphrasePrompts;
  /**
   * Stop the scheduler (its timer at once; a sweep in flight records nothing), unhook the events,
   * and close every SSH connection. Settles when the alert deliveries in flight have ended (bounded).
   */
  dispose(): Promise<void>;
}

/**
 * Extend the open workspace's context: one SSH runtime (with the secret store and the passphrase
 * prompts) behind its runner and host-key trust, the dispatcher as its event sink, and background
 * monitoring. Disposing puts back what `openApp` built.
 */
export function startLiveHost(app: App, options: LiveHostOptions = {}): LiveHost {
  const { db, dispatcher, ctx } = app;
  const log = options.log ?? (() => {});
  const prompts = new PassphrasePrompts(
    {
      requested: (request) => dispatcher.emit('hosts.passphraseRequested', request),
      settled: (requestId) => dispatcher.emit('hosts.passphraseSettled', { requestId }),
    },
    options.passphraseTimeoutMs,
    options.passphraseQuietMs,
  );
  const passphrases = options.passphrases === undefined ? prompts.provider : options.passphrases;
  const runtime = createSshRuntime(db, { secrets: options.secrets, passphrases, timeouts: options.timeouts });
  const runner = createSshRunner(db, runtime);
  // The scheduler's events are the contract's `checks.result` and `alerts.raised`.
  const emitCheckEvent: CheckEventSink = (event, payload) =>
    dispatcher.emit(event, payload as EventPayload<typeof event>);
  // Checks, failovers, host locks and host-key trust all go through this runtime; what openApp
  // built comes back at dispose.
  const opened: Partial<ServiceContext> = {
    runner: ctx.runner,
    ssh: ctx.ssh,
    emit: ctx.emit,
    prompts: ctx.prompts,
    monitor: ctx.monitor,
    alertSecrets: ctx.alertSecrets,
  };
  Object.assign(ctx, { runner, ssh: sshPortOf(db, runtime), emit: dispatcher.emit, prompts });
  if (options.alertSecrets) ctx.alertSecrets = options.alertSecrets;
  const heartbeat = startHeartbeat({ db, log, ...options.heartbeat });
  const monitor = startMonitoring(db, () => ctx.runner, {
    emit: emitCheckEvent,
    notify: options.notify ?? null,
    log,
    alertSecrets: () => ctx.alertSecrets,
    scheduler: { ...options.scheduler, onSweepFinished: (outcome) => heartbeat.sweepFinished(outcome) },
  });
  ctx.monitor = monitor;
  // The test recovery runs by itself, read-only, while monitoring is on (weekly unless set).
  const testRecoveries = new TestRecoverySchedule({
    db,
    runner: () => ctx.runner,
    enabled: () => monitoringEnabled(db),
    log,
  });
  testRecoveries.start();

  let disposed: Promise<void> | null = null;
  return {
    runtime,
    runner,
    monitor,
    heartbeat,
    prompts,
    dispose() {
      if (disposed) return disposed;
      const stopping = Promise.all([monitor.dispose(), heartbeat.dispose(), testRecoveries.dispose()]).then(() => {});
      prompts.dispose();
      Object.assign(ctx, opened);
      void runner.dispose();
      disposed = stopping.catch((error: unknown) =>
        log(`stopping monitoring failed: ${(error as Error)?.message ?? String(error)}`),
      );
      return disposed;
    },
  };
}
