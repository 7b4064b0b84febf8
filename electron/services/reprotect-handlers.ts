/** Service functions for re-protect: the groups' recorded state, the re-protect plan and its dry run. */
import type { HandlersFor } from './handler-types';
import { listGroupStates } from '../db/repositories/group-state';
import { listGroups } from '../db/repositories/groups';
import { reprotectDryRun } from '../failover/engine';
import { reprotectPlan } from '../failover/reprotect';
import { requireRunner } from './require-runner';

type ReprotectMethod = 'groups.state' | 'reprotect.plan' | 'reprotect.preview';

export const reprotectHandlers: HandlersFor<ReprotectMethod> = {
  'groups.state': (ctx) => {
    // A recorded primary that is no longer a member of its group proves nothing: left out.
    const groups = new Map(listGroups(ctx.db).map((g) => [g.id, g]));
    return listGroupStates(ctx.db).filter((state) =>
      groups.get(state.groupId)?.members.some((m) => m.serverId === state.primaryServerId),
    );
  },
  'reprotect.plan': (ctx, { groupId }) => reprotectPlan(ctx.db, groupId),
  'reprotect.preview': (ctx, { groupId }) =>
    reprotectDryRun({ db: ctx.db, runner: requireRunner(ctx), emit: ctx.emit, runs: ctx.runs }, groupId),
};
