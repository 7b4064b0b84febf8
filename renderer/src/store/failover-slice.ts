/**
 * The failover area: the runs (failover runs and drills, newest first), the run being followed
 * live with its output, and the plan of the (group, target) chosen on the Failover screen. Run
 * events (`run.step`, `run.output`, `run.finished`) and workspace changes keep all of it current:
 * a group or runbook edited elsewhere changes the plan shown here without a reload.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { Plan, RunOutput, RunView } from '../../../shared/contract/failover';
import type { RunLockView } from '../../../shared/contract/locks';
import type { AppState } from './app-state';
import { areaLoader } from './area';
import { coalesced } from './refresher';

/** Runs kept in the list (Failover's interrupted run, the Drills reports). */
const RUNS_LISTED = 200;
/** Output lines kept per step of the followed run (the audit log keeps everything). */
const MAX_LINES_PER_STEP = 400;

export interface FailoverChoice {
  groupId: number;
  /** Null until a member is chosen; the plan is read once there is one. */
  targetServerId: number | null;
}

export interface FailoverSlice {
  runs: RunView[];
  runsError: string | null;
  refreshRuns(): Promise<void>;
  /** The workspace's run locks (owner, machine, heartbeat), read with the runs. */
  runLocks: RunLockView[];
  /** The run shown live, its latest view, and its output by step (-1: pre-flight and verification). */
  followedRunId: number | null;
  followedRun: RunView | null;
  followedOutput: Record<number, RunOutput[]>;
  followedError: string | null;
  followRun(runId: number | null): void;
  refreshFollowedRun(): Promise<void>;
  appendOutput(line: RunOutput): void;
  /** The group and target chosen on the Failover screen, and their plan (kept current). */
  failoverChoice: FailoverChoice | null;
  plan: Plan | null;
  planError: string | null;
  chooseFailover(choice: FailoverChoice | null): Promise<void>;
  refreshPlan(): Promise<void>;
}

/** The failover slice, reading through `api`. */
export function createFailoverSlice(api: Api): StateCreator<AppState, [], [], FailoverSlice> {
  return (set, get) => {
    const refreshPlan = coalesced(async () => {
      const choice = get().failoverChoice;
      if (choice?.targetServerId == null) return set({ plan: null, planError: null });
      try {
        const plan = await api.call('failover.plan', { groupId: choice.groupId, targetServerId: choice.targetServerId });
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
        const [runs, runLocks] = await Promise.all([api.call('runs.list', { limit: RUNS_LISTED }), api.call('runs.locks', {}).catch(() => get().runLocks)]);
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
        set({ followedOutput: { ...output, [line.stepIndex]: [...(output[line.stepIndex] ?? []), line].slice(-MAX_LINES_PER_STEP) } });
      },
      failoverChoice: null,
      plan: null,
      planError: null,
      async chooseFailover(choice) {
        set({ failoverChoice: choice, plan: null, planError: null });
        await refreshPlan();
      },
      refreshPlan,
    };
  };
}
