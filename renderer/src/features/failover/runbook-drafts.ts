/**
 * The runbook editor's model, without React: a draft per step (an action's parameters as the
 * JSON text the operator edits), templates for new action steps taken from the group's
 * definition, and the per-step validation against the shared schemas before anything is sent.
 */
import { ACTION_KINDS, DEFAULT_MAX_DELETE, DEFAULT_PROBE_MS, RunbookStep, type ActionKind, type Runbook } from '../../../../shared/runbooks';
import type { ServiceGroup } from '../../../../shared/domain';

export interface StepDraft {
  step: RunbookStep;
  /** The action's parameters as the operator edits them (action steps only). */
  paramsText: string;
  /** Expected minutes as typed (manual steps only). */
  minutesText: string;
}

export interface StepIssue {
  path: (string | number)[];
  message: string;
}

/** Drafts of a loaded runbook's steps. */
export function toDrafts(runbook: Pick<Runbook, 'steps'>): StepDraft[] {
  return runbook.steps.map(draftOf);
}

/** The draft of one step. */
export function draftOf(step: RunbookStep): StepDraft {
  return step.type === 'action'
    ? { step, paramsText: JSON.stringify(step.action.params, null, 2), minutesText: '' }
    : { step, paramsText: '', minutesText: String(step.expectedMinutes) };
}

/** A new manual step. */
export function newManualStep(): StepDraft {
  return draftOf({ type: 'manual', title: 'New manual step', instruction: '', role: '', expectedMinutes: 5 });
}

/** Starting parameters of an action kind on `serverId`, filled from the group where it says what they are. */
export function actionTemplate(kind: ActionKind, group: ServiceGroup, serverId: number, otherServerId: number): Record<string, unknown> {
  const vip = group.vips[0];
  const vipParams = { address: vip?.address ?? '', prefix: vip?.prefix ?? 24, interface: vip?.interfaces.find((i) => i.serverId === serverId)?.interface ?? '' };
  const unit = group.processes[0] ?? '';
  const data = group.data;
  switch (kind) {
    case 'vip.release':
      return vipParams;
    case 'vip.acquire':
      return { ...vipParams, probeMilliseconds: DEFAULT_PROBE_MS };
    case 'rsync.sync':
      return { sourceServerId: otherServerId, vipAddress: vip?.address ?? '', paths: data.kind === 'rsync' ? data.paths : [], excludes: [], delete: false, maxDelete: DEFAULT_MAX_DELETE };
    case 'postgres.promote':
      return data.kind === 'postgres'
        ? { port: data.port, dataDir: data.dataDir, osUser: data.osUser, database: data.database, fenceServerId: otherServerId }
        : { dataDir: '', fenceServerId: otherServerId };
    case 'service.stop':
    case 'service.start':
    case 'service.restart':
      return { unit };
    case 'wait.check':
      return { check: { probe: 'service-active', unit }, deadlineSeconds: 60, intervalSeconds: 2 };
    case 'command.run':
      return { script: '', expectedExitCodes: [0] };
  }
}

/** A new action step of `kind` on `serverId`. */
export function newActionStep(kind: ActionKind, group: ServiceGroup, serverId: number, otherServerId: number, serverName: string): StepDraft {
  const params = actionTemplate(kind, group, serverId, otherServerId);
  const step = { type: 'action', title: `${kind} on ${serverName}`, serverId, action: { kind, params }, timeoutSeconds: 60, whenUnreachable: 'halt' } as RunbookStep;
  return { step, paramsText: JSON.stringify(params, null, 2), minutesText: '' };
}

/** Whole minutes as typed, strictly ("5", not "5.5" or "five"); NaN otherwise. */
function minutesOf(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The steps to send, or every problem of every step (paths start with ['steps', index]). */
export function buildSteps(drafts: readonly StepDraft[]): { steps: RunbookStep[]; issues: StepIssue[] } {
  const steps: RunbookStep[] = [];
  const issues: StepIssue[] = [];
  drafts.forEach((draft, index) => {
    let candidate: unknown = draft.step;
    if (draft.step.type === 'action') {
      let params: unknown;
      try {
        params = JSON.parse(draft.paramsText);
      } catch {
        issues.push({ path: ['steps', index, 'action', 'params'], message: 'the parameters are not valid JSON' });
        return;
      }
      candidate = { ...draft.step, action: { kind: draft.step.action.kind, params } };
    } else {
      const minutes = minutesOf(draft.minutesText);
      if (Number.isNaN(minutes)) {
        issues.push({ path: ['steps', index, 'expectedMinutes'], message: 'whole minutes, e.g. 5' });
        return;
      }
      candidate = { ...draft.step, expectedMinutes: minutes };
    }
    const parsed = RunbookStep.safeParse(candidate);
    if (parsed.success) steps.push(parsed.data);
    else for (const issue of parsed.error.issues) issues.push({ path: ['steps', index, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message });
  });
  return { steps, issues };
}

export { ACTION_KINDS };
