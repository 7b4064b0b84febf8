/**
 * The scheduler: runs each check at its interval. One timer looks at the schedule; every due check
 * goes into one sweep (hosts concurrently, one batch per host). It owns retries, history (with
 * retention), alert decisions and delivery. A throwing check, runner or channel never stops the
 * loop, sweeps never overlap, and dispose() clears every timer it made.
 */
import type { Db } from '../db/connection';
import type { Alert, Check, CheckResult, Metrics } from '../../shared/checks';
import type { RemoteRunner } from '../ports/remote';
import { changeStamp } from '../db/repositories/connection-state';
import {
  appendAlert,
  DEFAULT_RETENTION,
  FRESH_STATE,
  insertResults,
  listChecks,
  loadStates,
  pruneResults,
  saveStates,
  type CheckState,
  type Retention,
} from '../db/repositories/checks';
import { decideAlerts, type AlertInput } from './alerts';
import { deliverTo, type DeliveryConfig } from './channels';
import { escalateDue, recordAlert, recordReports, type AlertDelivery } from './incidents';
import { fileOrEnvAlertSecrets } from './alert-secrets';
import type { AlertSecrets } from '../ports/alert-secrets';
import { groupsOfCheck, readSilences } from './silence';
import { moduleOf } from './kinds';
import type { EvaluationMetrics } from './kind';
import { loadInventory, planCheck, type Inventory, type PlannedCheck } from './plan';
import { countObservation, nextRunDelaySeconds } from './retry';
import { loadAlertConfig, type AlertConfig } from './settings';
import { sweep, type CheckRun, type SweepOptions } from './sweep';

/** Events the scheduler emits (the contract's `checks.result` and `alerts.raised`). */
export interface CheckEvents {
  'checks.result': CheckResult;
  'alerts.raised': Alert;
  'alerts.updated': { incidentId: number };
}
/** Emits one of the scheduler's events. */
export type CheckEventSink = <E extends keyof CheckEvents>(event: E, payload: CheckEvents[E]) => void;

/** What a scheduler needs; everything but the database and runner has a default. */
export interface SchedulerOptions {
  db: Db;
  /** The runner for this workspace; null when no SSH engine is available here. */
  runner: () => RemoteRunner | null;
  emit?: CheckEventSink;
  /** Desktop notification; absent in headless mode (alerts are logged and emitted). */
  notify?: ((title: string, body: string) => void) | null;
  /** Where the SMTP password is kept (the context's); none by default. */
  alertSecrets?: () => AlertSecrets;
  /** Delivery overrides: a CA for a relay with a certificate of its own, shorter deadlines (tests). */
  delivery?: Pick<DeliveryConfig, 'smtpCa' | 'timeoutMs'>;
  log?: (message: string) => void;
  now?: () => number;
  retention?: Retention;
  sweep?: SweepOptions;
  /** Longest wait between two looks at the schedule (default 15 s). */
  maxWaitMs?: number;
  /** How often results are pruned (default 10 min). */
  pruneEveryMs?: number;
  /** After each scheduled look at the schedule: it finished, or the error that ended it (the heartbeat listens). */
  onSweepFinished?: (outcome: { ok: true } | { ok: false; error: unknown }) => void;
}

/** What the last sweep did. */
export interface SweepSummary {
  at: number;
  durationMs: number;
  checks: number;
  hosts: number;
}

/** A stored result with its check's name and kind, and the servers it could not reach, as runNow answers. */
export type NamedCheckResult = CheckResult & { name: string; kind: Check['kind']; unreachable: string[] };

/** Drop undefined metrics; keep what JSON can carry. */
export function cleanMetrics(metrics: EvaluationMetrics): Metrics {
  const out: Metrics = {};
  for (const [key, value] of Object.entries(metrics))
    if (value !== undefined && !(typeof value === 'number' && !Number.isFinite(value))) out[key] = value;
  return out;
}

/** Runs the checks of one workspace on their schedule (one per workspace; see monitor.ts). */
export class CheckScheduler {
  private readonly log: (message: string) => void;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private disposed = false;
  /** Sweeps and manual runs, one after the other. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly nextDue = new Map<number, number>();
  private plan: { stamp: string; inventory: Inventory; checks: Check[]; planned: Map<number, PlannedCheck> } | null =
    null;
  private readonly deliveries = new Set<Promise<unknown>>();
  private lastPrune = 0;
  /** The last sweep, for `monitoring.status`. */
  lastSweep: SweepSummary | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.log = options.log ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  get isRunning(): boolean {
    return this.started && !this.disposed;
  }

  /** Start looking at the schedule (every check is due at once). */
  start(): void {
    if (this.disposed || this.started) return;
    this.started = true;
    this.arm(0);
  }

  /** Stop scheduling; a sweep in flight finishes. */
  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Definitions changed here: plan again, and look at the schedule soon. */
  refresh(): void {
    this.plan = null;
    if (this.isRunning) this.arm(0);
  }

  /** Stop, clear every timer, and wait (bounded) for the sweep and deliveries in flight. */
  async dispose(): Promise<void> {
    this.stop();
    this.disposed = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise((resolve) => (timer = setTimeout(resolve, 5_000)));
    await Promise.race([Promise.allSettled([this.chain, ...this.deliveries]), bound]);
    clearTimeout(timer);
  }

  private arm(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.isRunning) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.serialise(() => this.runDue())
        .then(
          () => this.guard(() => this.options.onSweepFinished?.({ ok: true })),
          (error: unknown) => {
            this.log(`health sweep failed: ${(error as Error)?.stack ?? String(error)}`);
            this.guard(() => this.options.onSweepFinished?.({ ok: false, error }));
          },
        )
        .finally(() => this.arm(this.delayToNext()));
    }, delayMs);
  }

  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => {});
    return run;
  }

  private delayToNext(): number {
    const maxWait = this.options.maxWaitMs ?? 15_000;
    const checks = this.plan?.checks.filter((c) => c.enabled) ?? [];
    const soonest = Math.min(...checks.map((c) => this.nextDue.get(c.id) ?? 0), this.now() + maxWait);
    return Math.max(250, Math.min(maxWait, soonest - this.now()));
  }

  /** The database's change stamp: another connection's commit, or a write on this one, changes it. */
  private stamp(): string {
    return changeStamp(this.options.db);
  }

  private currentPlan(): NonNullable<CheckScheduler['plan']> {
    const stamp = this.stamp();
    if (this.plan?.stamp === stamp) return this.plan;
    const inventory = loadInventory(this.options.db);
    const checks = listChecks(this.options.db);
    const planned = new Map(checks.map((c) => [c.id, planCheck(c, inventory)]));
    for (const id of this.nextDue.keys()) if (!planned.has(id)) this.nextDue.delete(id);
    this.plan = { stamp, inventory, checks, planned };
    return this.plan;
  }

  /** Run every enabled check that is due (what the timer calls). */
  async runDue(): Promise<NamedCheckResult[]> {
    const plan = this.currentPlan();
    const now = this.now();
    const due = plan.checks
      .filter((c) => c.enabled && (this.nextDue.get(c.id) ?? 0) <= now)
      .map((c) => plan.planned.get(c.id)!);
    const results = due.length ? await this.execute(due) : [];
    if (this.disposed || !this.options.db.open) return results;
    await this.escalate();
    if (this.disposed || !this.options.db.open) return results;
    if (now - this.lastPrune >= (this.options.pruneEveryMs ?? 600_000)) {
      this.lastPrune = now;
      const removed = pruneResults(this.options.db, this.options.retention ?? DEFAULT_RETENTION, now);
      if (removed) this.log(`health history: pruned ${removed} old results`);
      if (this.plan) this.plan.stamp = this.stamp();
    }
    return results;
  }

  private alertConfig(): AlertConfig {
    const config = loadAlertConfig(this.options.db, this.options.alertSecrets?.() ?? fileOrEnvAlertSecrets({}));
    return { ...config, ...this.options.delivery };
  }

  /** Settles when the deliveries in flight have ended (and their reports are on the timelines). */
  async deliveriesSettled(): Promise<void> {
    await Promise.allSettled([...this.deliveries]);
  }

  private silences(now: number) {
    const groups = this.plan?.inventory.groups;
    return readSilences(this.options.db, now, (id) => groups?.get(id)?.name ?? `group ${id}`);
  }

  /** Tell the next contacts of the incidents nobody acknowledged in time (each look at the schedule). */
  async escalate(): Promise<number[]> {
    const now = this.now();
    const escalated = await escalateDue(this.options.db, now, {
      config: this.alertConfig(),
      silences: this.silences(now),
      notify: this.options.notify,
      log: this.log,
    });
    for (const incidentId of escalated) this.guard(() => this.options.emit?.('alerts.updated', { incidentId }));
    return escalated;
  }

  /** Run the given enabled checks now, whatever their schedule (the UI's "Run now"). */
  runNow(filter: { groupId?: number; checkIds?: readonly number[] } = {}): Promise<NamedCheckResult[]> {
    return this.serialise(async () => {
      const plan = this.currentPlan();
      const chosen = plan.checks.filter(
        (c) =>
          c.enabled &&
          (filter.checkIds === undefined || filter.checkIds.includes(c.id)) &&
          (filter.groupId === undefined ||
            c.groupId === filter.groupId ||
            plan.inventory.groups.get(filter.groupId)?.members.some((m) => m.serverId === c.serverId)),
      );
      return chosen.length ? this.execute(chosen.map((c) => plan.planned.get(c.id)!)) : [];
    });
  }

  /** One sweep of `due`: run, count retries, decide alerts, store, emit, deliver. */
  private async execute(due: PlannedCheck[]): Promise<NamedCheckResult[]> {
    const { db } = this.options;
    const started = this.now();
    const runner = this.options.runner();
    const report = runner
      ? await sweep(due, runner, this.options.sweep)
      : {
          runs: due.map((planned): CheckRun => ({
            planned,
            evaluation: { status: 'unknown', summary: 'no SSH engine is available in this process', metrics: {} },
            durationMs: 0,
            unreachable: [],
          })),
          hosts: 0,
          durationMs: 0,
        };
    // Disposed mid-sweep (the app is closing, its connections with it): what came back is not news.
    if (this.disposed || !db.open) return [];
    const now = this.now();
    const previous = loadStates(db);
    const inputs: AlertInput[] = report.runs.map(({ planned, evaluation }) => {
      const counted = countObservation(planned.check, previous.get(planned.check.id) ?? FRESH_STATE, evaluation, now);
      return {
        planned,
        status: counted.status,
        summary: counted.summary,
        state: counted.state,
        cause: evaluation.cause,
      };
    });
    const config = this.alertConfig();
    const plan = this.plan;
    const inventory = plan?.inventory;
    const silences = this.silences(now);
    const swept = new Set(due.map((p) => p.check.id));
    const servicesDownElsewhere = new Set(
      (plan?.checks ?? [])
        .filter((c) => !swept.has(c.id))
        .filter((c) => previous.get(c.id)?.settled === 'fail' || (previous.get(c.id)?.failures ?? 0) > 0)
        .map((c) => plan?.planned.get(c.id)?.ctx.service?.id)
        .filter((id): id is number => id !== undefined),
    );
    const groupsOf = (planned: PlannedCheck) => (inventory ? groupsOfCheck(planned.check, inventory) : []);
    const hostsDownElsewhere = new Set(
      (plan?.checks ?? [])
        .filter(
          (c) =>
            moduleOf(c.kind).reportsHostDown &&
            !swept.has(c.id) &&
            previous.get(c.id)?.settled === 'fail' &&
            c.serverId !== null,
        )
        .map((c) => c.serverId!),
    );
    const { alerts, states } = decideAlerts(inputs, {
      now,
      reminders: config.settings.reminders,
      hostsDownElsewhere,
      serverName: (id) => plan?.inventory.servers.get(id)?.name ?? `server ${id}`,
      services: inventory?.services ?? [],
      servicesDownElsewhere,
      groupsOf,
      silences,
    });
    const results: NamedCheckResult[] = report.runs.map((run, i) => ({
      checkId: run.planned.check.id,
      name: run.planned.check.name,
      kind: run.planned.check.kind,
      at: now,
      status: inputs[i].status,
      observed: run.evaluation.status,
      summary: inputs[i].summary,
      metrics: cleanMetrics(run.evaluation.metrics),
      durationMs: run.durationMs,
      unreachable: run.unreachable,
    }));
    const deliveries: AlertDelivery[] = [];
    db.transaction(() => {
      insertResults(db, results);
      saveStates(db, states as Map<number, CheckState>);
      for (const alert of alerts) {
        const planned = due.find((p) => p.check.id === alert.checkId);
        deliveries.push(recordAlert(db, alert, { groupIds: planned ? groupsOf(planned) : [], config }));
        appendAlert(db, alert);
      }
    })();
    if (this.plan) this.plan.stamp = this.stamp();
    inputs.forEach((input, i) => {
      const counted = { status: input.status, summary: input.summary, state: input.state };
      this.nextDue.set(input.planned.check.id, now + nextRunDelaySeconds(due[i].check, counted) * 1000);
    });
    this.lastSweep = {
      at: started,
      durationMs: Math.round(report.durationMs),
      checks: due.length,
      hosts: report.hosts,
    };
    this.publish(results, deliveries, config);
    return results;
  }

  private publish(results: NamedCheckResult[], deliveries: AlertDelivery[], config: AlertConfig): void {
    const emit = this.options.emit;
    for (const { name: _name, kind: _kind, unreachable: _unreachable, ...result } of results)
      this.guard(() => emit?.('checks.result', result));
    for (const { alert, recipients, kind } of deliveries) {
      this.guard(() => emit?.('alerts.raised', alert));
      const delivery = deliverTo(recipients, alert, { ...config, notify: this.options.notify, log: this.log })
        .then((reports) => {
          recordReports(this.options.db, alert.incidentId, alert.at, kind, reports);
          const incidentId = alert.incidentId;
          if (incidentId !== null) this.guard(() => emit?.('alerts.updated', { incidentId }));
        })
        .catch((error: unknown) => this.log(`alert delivery failed: ${(error as Error)?.message ?? String(error)}`));
      this.deliveries.add(delivery);
      void delivery.finally(() => this.deliveries.delete(delivery));
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log(`a health event listener failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}
