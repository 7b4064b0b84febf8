/**
 * The whole-company recovery area: whether the Failover screen shows the "Recover the company"
 * flow, the recovery plan of the groups chosen (kept current by workspace changes, like the
 * single-group plan), this session's recoveries (kept current by `recovery.changed`) and the
 * latest output of each group's run while a recovery runs.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { RunOutput } from '../../../shared/contract/failover';
import type { RecoveryView } from '../../../shared/contract/recovery';
import type { AppState, RecoverySlice } from './app-state';
import { areaLoader } from './area';
import { coalesced } from './refresher';

export type { RecoverySlice };

/** Output lines kept per group run of a recovery (the audit log keeps everything). */
const LINES_PER_RUN = 60;
/** Runs whose output is kept at once. */
const RUNS_KEPT = 30;

/** The recovery slice, reading through `api`. */
export function createRecoverySlice(api: Api): StateCreator<AppState, [], [], RecoverySlice> {
  return (set, get) => {
    const refreshRecoveryPlan = coalesced(async () => {
      if (!get().recoveryOpen) return;
      const groupIds = get().recoveryGroupIds ?? undefined;
      try {
        const recoveryPlan = await api.call('recovery.plan', { groupIds });
        if ((get().recoveryGroupIds ?? undefined) === groupIds) set({ recoveryPlan, recoveryPlanError: null });
      } catch (error) {
        set({ recoveryPlan: null, recoveryPlanError: (error as Error).message });
      }
    });
    return {
      recoveryOpen: false,
      recoveryGroupIds: null,
      recoveryPlan: null,
      recoveryPlanError: null,
      recoveries: [],
      recoveriesError: null,
      recoveryOutput: {},
      async openRecovery(open) {
        set({ recoveryOpen: open });
        if (open) await refreshRecoveryPlan();
      },
      async chooseRecoveryGroups(groupIds) {
        set({ recoveryGroupIds: groupIds, recoveryPlan: null, recoveryPlanError: null });
        await refreshRecoveryPlan();
      },
      refreshRecoveryPlan,
      refreshRecoveries: areaLoader(set, 'recoveriesError', async () => ({
        recoveries: await api.call('recovery.list', {}),
      })),
      applyRecovery(view: RecoveryView) {
        const others = get().recoveries.filter((r) => r.id !== view.id);
        set({ recoveries: [view, ...others].sort((a, b) => b.id - a.id) });
      },
      appendRecoveryOutput(line: RunOutput) {
        if (!get().recoveries.some((r) => r.status === 'running')) return;
        const output = get().recoveryOutput;
        const kept = Object.keys(output)
          .map(Number)
          .sort((a, b) => b - a)
          .slice(0, RUNS_KEPT - 1);
        const next: Record<number, RunOutput[]> = {};
        for (const runId of kept) next[runId] = output[runId];
        next[line.runId] = [...(output[line.runId] ?? []), line].slice(-LINES_PER_RUN);
        set({ recoveryOutput: next });
      },
    };
  };
}
