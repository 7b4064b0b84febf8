/**
 * What a long-lived host (the Electron window, `lifeboat serve`) adds to an open workspace: one SSH
 * runtime whose pool serves checks, failovers and host-key trust alike; background monitoring whose
 * `checks.result` and `alerts.raised` events reach every transport; failover `run.*` events on the
 * same dispatcher. One owner disposes it all, before the workspace closes.
 */
import type { App } from './app';
import { setRunnerFor as setCheckRunnerFor, startMonitoring, type Monitor, type MonitorHooks } from './checks/registry';
import type { CheckEventSink } from './checks/scheduler';
import type { EventPayload } from '../shared/contract/index';
import type { RemoteRunner } from './ports/remote';
import type { PassphraseProvider, SecretStore } from './ssh/credentials';
import { PassphrasePrompts } from './ssh/passphrase-prompts';
import { createSshRuntime, installSshRuntime, type SshRuntime } from './ssh/registry';
import { createSshRunner } from './ssh/runner';
import type { SshTimeouts } from './ssh/transport';
import { startHeartbeat, type Heartbeat, type HeartbeatTimings } from './watcher/heartbeat';

/** What the host that starts monitoring provides. */
export interface LiveHostOptions {
  /** Desktop notifications (the Electron shell's); null where there is no desktop (`serve`). */
  notify?: ((title: string, body: string) => void) | null;
  /** Where SSH passwords are kept; without one they are refused. */
  secrets?: SecretStore;
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

/** Wire the SSH engine, monitoring and failover events of an open workspace to its dispatcher. */
export function startLiveHost(app: App, options: LiveHostOptions = {}): LiveHost {
  const { db, dispatcher } = app;
  const log = options.log ?? (() => {});
  const prompts = new PassphrasePrompts(
    {
      requested: (request) => dispatcher.emit('hosts.passphraseRequested', request),
      settled: (requestId) => dispatcher.emit('hosts.passphraseSettled', { requestId }),
    },
    options.passphraseTimeoutMs,
    options.passphraseQuietMs,
  );
  app.ctx.prompts = prompts;
  // Replace any runtime made on first use (it had no secret store nor passphrase prompt).
  const passphrases = options.passphrases === undefined ? prompts.provider : options.passphrases;
  const runtime = createSshRuntime(db, { secrets: options.secrets, passphrases, timeouts: options.timeouts });
  installSshRuntime(db, runtime);
  const runner = createSshRunner(db, runtime);
  setCheckRunnerFor(db, runner);
  // Failovers and host locks run over this runtime too, and their events reach every transport.
  const opened = { runner: app.ctx.runner, emit: app.ctx.emit };
  app.ctx.runner = runner;
  app.ctx.emit = dispatcher.emit;
  // The scheduler's events are the contract's `checks.result` and `alerts.raised`.
  const emitCheckEvent: CheckEventSink = (event, payload) =>
    dispatcher.emit(event, payload as EventPayload<typeof event>);
  const heartbeat = startHeartbeat({ db, log, ...options.heartbeat });
  const monitor = startMonitoring(db, {
    emit: emitCheckEvent,
    notify: options.notify ?? null,
    log,
    scheduler: { ...options.scheduler, onSweepFinished: (outcome) => heartbeat.sweepFinished(outcome) },
  });

  let disposed: Promise<void> | null = null;
  return {
    runtime,
    runner,
    monitor,
    heartbeat,
    prompts,
    dispose() {
      if (disposed) return disposed;
      const stopping = Promise.all([monitor.dispose(), heartbeat.dispose()]).then(() => {});
      prompts.dispose();
      app.ctx.prompts = null;
      setCheckRunnerFor(db, null);
      app.ctx.runner = opened.runner;
      app.ctx.emit = opened.emit;
      void runner.dispose();
      disposed = stopping.catch((error: unknown) =>
        log(`stopping monitoring failed: ${(error as Error)?.message ?? String(error)}`),
      );
      return disposed;
    },
  };
}
