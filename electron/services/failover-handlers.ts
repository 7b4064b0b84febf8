/**
 * Service functions for failover: runbooks, pre-flight, plan, runs, audit and drills. The remote
 * runner and the event sink come with the ServiceContext (electron/ports/context.ts).
 */
import type { HandlersFor } from './handler-types';
import type { ServiceContext } from '../ports/context';
import { requireRunner } from './require-runner';
import { LifeboatError } from '../../shared/errors';
import { RunbookDraft } from '../../shared/runbooks';
import { runbookEnds } from '../../shared/logic/runbook-defaults';
import { listRunbooks, saveRunbook } from '../db/repositories/runbooks';
import { listAuditRows } from '../db/repositories/audit';
import { exportAudit, verifyAudit } from '../failover/audit';
import { generateRunbook, loadGroup, resolveRunbook, runbookIssues, withProblems } from '../failover/definition';
import { drillStatuses, setDrillMaxAgeDays } from '../failover/drills';
import {
  closeRun,
  planOnly,
  preflightOnly,
  respondToRun,
  startRun,
  viewRun,
  viewRuns,
  type EngineDeps,
} from '../failover/engine';

type FailoverMethod =
  | 'runbooks.list'
  | 'runbooks.get'
  | 'runbooks.generate'
  | 'runbooks.save'
  | 'failover.preflight'
  | 'failover.plan'
  | 'failover.start'
  | 'failover.respond'
  | 'runs.list'
  | 'runs.get'
  | 'runs.close'
  | 'audit.list'
  | 'audit.export'
  | 'audit.verify'
  | 'drills.status'
  | 'drills.setMaxAge';

function engineDeps(ctx: ServiceContext): EngineDeps {
  return { db: ctx.db, runner: requireRunner(ctx), emit: ctx.emit, runs: ctx.runs };
}

export const failoverHandlers: HandlersFor<FailoverMethod> = {
  'runbooks.list': (ctx, { groupId }) => {
    // Each saved runbook carries what no longer fits the group (the Runbooks screen marks it).
    const context = loadGroup(ctx.db, groupId);
    return listRunbooks(ctx.db, groupId).map((runbook) => withProblems(context, runbook));
  },
  'runbooks.get': (ctx, { groupId, targetServerId }) =>
    resolveRunbook(ctx.db, loadGroup(ctx.db, groupId), targetServerId),
  'runbooks.generate': (ctx, { groupId, targetServerId }) =>
    generateRunbook(loadGroup(ctx.db, groupId), targetServerId),
  'runbooks.save': (ctx, draft) => {
    const parsed = RunbookDraft.parse(draft);
    const context = loadGroup(ctx.db, parsed.groupId);
    const ends = runbookEnds(context.group, parsed.targetServerId);
    const issues = runbookIssues(context.group, parsed, (id) => context.servers.get(id)?.name ?? `server ${id}`);
    if (typeof ends === 'string') issues.push({ path: ['targetServerId'], message: ends });
    else if (ends.direction !== parsed.direction)
      issues.push({ path: ['direction'], message: `moving to this member is a ${ends.direction}` });
    if (issues.length > 0)
      throw new LifeboatError('invalid_input', `${issues[0].path.join('.')}: ${issues[0].message}`, issues);
    return ctx.db.transaction(() => saveRunbook(ctx.db, parsed))();
  },
  'failover.preflight': (ctx, { groupId, targetServerId }) => preflightOnly(engineDeps(ctx), groupId, targetServerId),
  'failover.plan': (ctx, { groupId, targetServerId }) => planOnly(ctx.db, groupId, targetServerId),
  'failover.start': async (ctx, input) => {
    const { runId, preflight, plan, refused } = await startRun(engineDeps(ctx), input);
    return { runId, preflight, plan, refused };
  },
  'failover.respond': (ctx, input) => respondToRun(ctx, input),
  'runs.list': (ctx, filter) => viewRuns(ctx, filter),
  'runs.get': (ctx, { runId }) => viewRun(ctx, runId),
  'runs.close': (ctx, { runId, note }) => closeRun(ctx, runId, note),
  'audit.list': (ctx, filter) => listAuditRows(ctx.db, filter),
  'audit.export': (ctx, { format, runId }) => ({ format, ...exportAudit(ctx.db, format, runId) }),
  'audit.verify': (ctx) => verifyAudit(ctx.db),
  'drills.status': (ctx, { groupId }) => drillStatuses(ctx.db, groupId),
  'drills.setMaxAge': (ctx, { days }) => ({ days: setDrillMaxAgeDays(ctx.db, days) }),
};
