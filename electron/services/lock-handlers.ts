/** Service functions for recovering locks: the workspace's run locks and the on-host locks. */
import type { HandlersFor } from './handler-types';
import { breakRunLock, runLockViews } from '../failover/lock-break';
import { breakHostLock, hostLockViews, lockScope } from '../failover/host-lock-run';
import { loadGroup } from '../failover/definition';
import { viewRun } from '../failover/engine';
import { requireRunner } from './require-runner';

type LockMethod = 'runs.locks' | 'runs.breakLock' | 'runs.hostLocks' | 'runs.breakHostLock';

export const lockHandlers: HandlersFor<LockMethod> = {
  'runs.locks': (ctx) => runLockViews(ctx.db),
  'runs.breakLock': (ctx, input) => viewRun(ctx, breakRunLock(ctx.db, input).id),
  'runs.hostLocks': (ctx, { groupId }) =>
    hostLockViews(lockScope(ctx.db, requireRunner(ctx), groupId), loadGroup(ctx.db, groupId)),
  'runs.breakHostLock': (ctx, { groupId, ...request }) =>
    breakHostLock(lockScope(ctx.db, requireRunner(ctx), groupId), loadGroup(ctx.db, groupId), request),
};
