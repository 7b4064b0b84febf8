/**
 * The service functions behind the checks, monitoring and alerts methods. They validate what the
 * contract's schemas cannot (a group check needs a group; the kind's own rules, such as a postgres
 * check needing a PostgreSQL group),
 * store, and tell the workspace's monitor (when one runs here) to plan again.
 */
import type { ServiceContext } from '../ports/context';
import type { Db } from '../db/connection';
import { LifeboatError } from '../../shared/errors';
import {
  CHECK_SCOPE,
  type AlertSettings,
  type Check,
  type CheckView,
  type MonitoringStatus,
} from '../../shared/checks';
import type { MethodParsedInput } from '../../shared/contract';
import {
  checkHistory,
  deleteCheck,
  getCheck,
  insertResults,
  latestResults,
  listChecks,
  recentAlerts,
  saveCheck,
  type CheckToSave,
} from '../db/repositories/checks';
import { moduleOf } from './kinds';
import { missingDefaults } from './defaults';
import { loadInventory, planCheck } from './plan';
import { cleanMetrics, type NamedCheckResult } from './scheduler';
import { loadAlertConfig, monitoringEnabled, saveAlertSettings, setMonitoringEnabled } from './settings';
import { sweep } from './sweep';

const invalid = (path: string, message: string) =>
  new LifeboatError('invalid_input', `${path}: ${message}`, [{ path: [path], message }]);

/** The cross-entity rules of a check. */
function validateCheck(db: Db, check: CheckToSave): void {
  const inventory = loadInventory(db);
  const scope = CHECK_SCOPE[check.kind];
  const group = check.groupId === null ? undefined : inventory.groups.get(check.groupId);
  if (check.groupId !== null && !group) throw invalid('groupId', `there is no service group ${check.groupId}`);
  if (check.serverId !== null && !inventory.servers.has(check.serverId))
    throw invalid('serverId', `there is no server ${check.serverId}`);
  if (check.serviceId !== null && !inventory.services.some((s) => s.id === check.serviceId))
    throw invalid('serviceId', `there is no service ${check.serviceId}`);
  if (scope === 'server' && check.serverId === null)
    throw invalid('serverId', `a ${check.kind} check runs on one server: choose it`);
  if (scope === 'group' && !group)
    throw invalid('groupId', `a ${check.kind} check reads the members of a service group: choose it`);
  if (scope === 'either' && check.serverId === null && !group)
    throw invalid('serverId', 'choose a server, or a service group to check on every member');
  if (scope === 'group' && check.serverId !== null)
    throw invalid('serverId', `a ${check.kind} check reads every member: leave the server empty`);
  const problem = moduleOf(check.kind).validate?.(check.params, group ?? null);
  if (problem) throw invalid(problem.path, problem.message);
  const planned = planCheck({ ...check, id: check.id ?? 0 } as Check, inventory);
  if (planned.problem) throw new LifeboatError('invalid_input', planned.problem);
}

/** Every check with its latest result. */
export function listCheckViews({ db }: ServiceContext, filter: { groupId?: number }): CheckView[] {
  const latest = latestResults(db);
  return listChecks(db, filter).map((check) => ({ check, latest: latest.get(check.id) ?? null }));
}

/** Add or update a check after its cross-entity rules. */
export function storeCheck({ db, monitor }: ServiceContext, check: CheckToSave): Check {
  const saved = db.transaction(() => {
    if (check.id !== undefined && !getCheck(db, check.id))
      throw new LifeboatError('not_found', `there is no check ${check.id}`);
    validateCheck(db, check);
    return saveCheck(db, check);
  })();
  monitor?.refresh();
  return saved;
}

/** Delete a check (its history goes with it). */
export function removeCheck({ db, monitor }: ServiceContext, id: number) {
  if (!deleteCheck(db, id)) throw new LifeboatError('not_found', `there is no check ${id}`);
  monitor?.refresh();
  return { id, deleted: true as const };
}

/** Add the default checks of every group (or one) that are not there yet. */
export function generateDefaultChecks({ db, monitor }: ServiceContext, groupId?: number) {
  const created = db.transaction(() => {
    const inventory = loadInventory(db);
    if (groupId !== undefined && !inventory.groups.has(groupId))
      throw invalid('groupId', `there is no service group ${groupId}`);
    const { drafts, existing } = missingDefaults(inventory, listChecks(db), groupId);
    return { created: drafts.map((d) => saveCheck(db, d)), existing };
  })();
  monitor?.refresh();
  return created;
}

/**
 * Run checks now. Where a monitor runs (the window, `serve`) it runs them, so retries, alerts and
 * events follow. Elsewhere (the CLI) each check reports what it observed, the results are stored,
 * and the alert state is left to the monitor.
 */
export async function runChecksNow(
  { db, monitor, runner }: ServiceContext,
  filter: { groupId?: number; checkIds?: number[] },
): Promise<NamedCheckResult[]> {
  if (monitor) return monitor.runNow(filter);
  if (!runner)
    throw new LifeboatError('unavailable', 'no SSH engine is available in this process, so no check can run');
  const inventory = loadInventory(db);
  const memberOf = (serverId: number | null) =>
    filter.groupId !== undefined && inventory.groups.get(filter.groupId)?.members.some((m) => m.serverId === serverId);
  const checks = listChecks(db).filter(
    (c) =>
      c.enabled &&
      (filter.checkIds === undefined || filter.checkIds.includes(c.id)) &&
      (filter.groupId === undefined || c.groupId === filter.groupId || memberOf(c.serverId)),
  );
  const report = await sweep(
    checks.map((c) => planCheck(c, inventory)),
    runner,
  );
  const at = Date.now();
  const results: NamedCheckResult[] = report.runs.map(({ planned, evaluation, durationMs, unreachable }) => ({
    checkId: planned.check.id,
    name: planned.check.name,
    kind: planned.check.kind,
    at,
    status: evaluation.status,
    observed: evaluation.status,
    summary: evaluation.summary,
    metrics: cleanMetrics(evaluation.metrics),
    durationMs,
    unreachable,
  }));
  if (db.open) db.transaction(() => insertResults(db, results))();
  return results;
}

/** The results of one check, newest first. */
export function readCheckHistory({ db }: ServiceContext, checkId: number, limit: number) {
  if (!getCheck(db, checkId)) throw new LifeboatError('not_found', `there is no check ${checkId}`);
  return checkHistory(db, checkId, limit);
}

/** Whether monitoring is on, whether a scheduler runs here, and its last sweep. */
export function readMonitoringStatus({ db, monitor }: ServiceContext): MonitoringStatus {
  return {
    enabled: monitoringEnabled(db),
    running: monitor?.running ?? false,
    lastSweep: monitor?.lastSweep ?? null,
  };
}

/** Turn monitoring on or off; a monitor running here follows at once. */
export function setMonitoring(ctx: ServiceContext, enabled: boolean): MonitoringStatus {
  setMonitoringEnabled(ctx.db, enabled);
  ctx.monitor?.refresh();
  return readMonitoringStatus(ctx);
}

/** Where alerts go (webhook URLs and the SMTP password are never returned). */
export function readAlertSettings({ db, alertSecrets }: ServiceContext): AlertSettings {
  return loadAlertConfig(db, alertSecrets).settings;
}

/** Change where alerts go. */
export function updateAlertSettings(
  { db, alertSecrets }: ServiceContext,
  draft: MethodParsedInput<'alerts.settings.save'>,
): AlertSettings {
  return saveAlertSettings(db, alertSecrets, draft);
}

/** The most recent alerts, newest first. */
export function listRecentAlerts({ db }: ServiceContext, limit: number) {
  return recentAlerts(db, limit);
}
