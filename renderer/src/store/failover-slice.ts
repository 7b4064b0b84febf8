/**
 * The failover area: the runs (failover runs and drills, newest first), the run being followed
 * live with its output, and the plan of the (group, target) chosen on the Failover screen. Run
 * events (`run.step`, `run.output`, `run.finished`) and workspace changes keep all of it current:
 * a group or runbook edited elsewhere changes the plan shown here without a reload.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { AppState, FailoverChoice, FailoverSlice } from './app-state';

export type { FailoverChoice, FailoverSlice };
import { areaLoader } from './area';
import { coalesced } from './refresher';

/** Runs kept in the list (Failover's interrupted run, the Drills reports). */
const RUNS_LISTED = 200;
/** Output lines kept per step of the followed run (the audit log keeps everything). */
const MAX_LINES_PER_STEP = 400;

/** The failover slice, reading through `api`. */
export function createFailoverSlice(api: Api): StateCreator<AppState, [], [], FailoverSlice> {
  return (set, get) => {
    const refreshPlan = coalesced(async () => {
      const choice = get().failoverChoice;
      if (choice?.targetServerId == null) return set({ plan: null, planError: null });
      try {
        const plan = await api.call('failover.plan', {
          groupId: choice.groupId,
          targetServerId: choice.targetServerId,
        });
        // The operator may have chosen something else while this was read.
        if (get().failoverChoice === choice) set({ plan, planError: null });
      } catch (error) {
        if (get().failoverChoice === choice) set({ plan: null, planError: (error as Error).message });
      }
    });
    const refreshFollowedRun = coalesced(async () => {
      const runId = get().followedRunId;
      if (runId === null) return;
      try {
        const run = await api.call('runs.get', { runId });
        if (get().followedRunId === runId) set({ followedRun: run, followedError: null });
      } catch (error) {
        if (get().followedRunId === runId) set({ followedError: (error as Error).message });
      }
    });
    return {
      runs: [],
      runsError: null,
      runLocks: [],
      refreshRuns: areaLoader(set, 'runsError', async () => {
        // Locks that cannot be read keep their last reading rather than hide the runs; breaking one is checked by the host anyway.
        const [runs, runLocks] = await Promise.all([
          api.call('runs.list', { limit: RUNS_LISTED }),
          api.call('runs.locks', {}).catch(() => get().runLocks),
        ]);
        return { runs, runLocks };
      }),
      followedRunId: null,
      followedRun: null,
      followedOutput: {},
      followedError: null,
      followRun(runId) {
        if (runId === get().followedRunId) return;
        set({ followedRunId: runId, followedRun: null, followedOutput: {}, followedError: null });
        void refreshFollowedRun();
      },
      refreshFollowedRun,
      appendOutput(line) {
        if (line.runId !== get().followedRunId) return;
        const output = get().followedOutput;
        set({
          followedOutput: {
            ...output,
            [line.stepIndex]: [...(output[line.stepIndex] ?? []), line].slice(-MAX_LINES_PER_STEP),
          },
        });
      },
      failoverChoice: null,
      plan: null,
      planError: null,
      async chooseFailover(choice) {
        set({ failoverChoice: choice, plan: null, planError: null });
        await refreshPlan();
      },
      refreshPlan,
      groupStates: [],
      groupStatesError: null,
      refreshGroupStates: areaLoader(set, 'groupStatesError', async () => ({
        groupStates: await api.call('groups.state', {}),
      })),
    };
  };
}
