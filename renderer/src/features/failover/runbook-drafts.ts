/**
 * The runbook editor's model, without React: each step as form values (its own fields and, for an
 * action, its kind's parameters, both generated from the shared schemas), templates for new action
 * steps taken from the group's definition, and the check of every step before anything is sent.
 * Issue paths are the ones the host answers with (`steps[2].action.params.address`), so the
 * client's and the host's problems land on the same fields.
 */
import {
  ACTION_KINDS,
  ACTION_PARAMS,
  ActionStep,
  DEFAULT_LISTEN_MS,
  DEFAULT_MAX_DELETE,
  DEFAULT_PROBE_MS,
  DEFAULT_WATCH_MS,
  ManualStep,
  RunbookDraft,
  RunbookStep,
  type ActionKind,
  type Runbook,
} from '../../../../shared/runbooks';
import type { ServiceGroup } from '../../../../shared/domain';
import { formatPath, type FieldIssue } from '../../../../shared/errors';
import { describeObject, fieldLabels, parseValues, valuesOf, type FieldSpec, type FieldValues } from './schema-fields';

/** One step as the operator edits it. */
export type StepFields =
  | { type: 'manual'; fields: FieldValues }
  | { type: 'action'; kind: ActionKind; fields: FieldValues; params: FieldValues };

export interface RunbookFields {
  steps: StepFields[];
}

/** The step's own fields: a manual step's, and an action step's other than its action. */
export const MANUAL_FIELDS: readonly FieldSpec[] = describeObject(ManualStep, ['type']);
export const ACTION_STEP_FIELDS: readonly FieldSpec[] = describeObject(ActionStep, ['type', 'action']);
/** Each action kind's parameter fields, from its schema. */
export const PARAM_FIELDS = Object.fromEntries(
  ACTION_KINDS.map((kind) => [kind, describeObject(ACTION_PARAMS[kind])]),
) as unknown as Record<ActionKind, readonly FieldSpec[]>;

/** The form values of one step. */
export function stepFields(step: RunbookStep): StepFields {
  if (step.type === 'manual') return { type: 'manual', fields: valuesOf(MANUAL_FIELDS, step) };
  return {
    type: 'action',
    kind: step.action.kind,
    fields: valuesOf(ACTION_STEP_FIELDS, step),
    params: valuesOf(PARAM_FIELDS[step.action.kind], step.action.params),
  };
}

/** The form values of a loaded runbook. */
export function runbookFields(runbook: Pick<Runbook, 'steps'>): RunbookFields {
  return { steps: runbook.steps.map(stepFields) };
}

/** A new manual step. */
export function newManualStep(): StepFields {
  return { type: 'manual', fields: valuesOf(MANUAL_FIELDS, { title: 'New manual step' }) };
}

/** Starting parameters of an action kind on `serverId`, filled from the group where it says what they are. */
export function actionTemplate(
  kind: ActionKind,
  group: ServiceGroup,
  serverId: number,
  otherServerId: number,
): Record<string, unknown> {
  const vip = group.vips[0];
  const vipParams = {
    address: vip?.address ?? '',
    prefix: vip?.prefix ?? 24,
    interface: vip?.interfaces.find((i) => i.serverId === serverId)?.interface ?? '',
  };
  const unit = group.processes[0] ?? '';
  const data = group.data;
  switch (kind) {
    case 'vip.release':
      return vipParams;
    case 'vip.acquire':
      return { ...vipParams, probeMilliseconds: DEFAULT_PROBE_MS };
    case 'vip.listen': {
      const held = vip?.interfaces.find((i) => i.serverId === otherServerId);
      return {
        address: vipParams.address,
        interface: vipParams.interface,
        holder: held ? { serverId: otherServerId, interface: held.interface } : null,
        listenMilliseconds: DEFAULT_LISTEN_MS,
      };
    }
    case 'vip.watch':
      return { address: vipParams.address, interface: vipParams.interface, watchMilliseconds: DEFAULT_WATCH_MS };
    case 'rsync.sync':
      return {
        sourceServerId: otherServerId,
        vipAddress: vip?.address ?? '',
        paths: data.kind === 'rsync' ? data.paths : [],
        excludes: [],
        delete: false,
        maxDelete: DEFAULT_MAX_DELETE,
      };
    case 'postgres.promote':
      return data.kind === 'postgres'
        ? {
            port: data.port,
            dataDir: data.dataDir,
            osUser: data.osUser,
            database: data.database,
            fenceServerId: otherServerId,
          }
        : { dataDir: '', fenceServerId: otherServerId };
    case 'postgres.rebuild':
    case 'postgres.streaming':
      return data.kind === 'postgres'
        ? {
            port: data.port,
            dataDir: data.dataDir,
            osUser: data.osUser,
            database: data.database,
            primaryServerId: otherServerId,
          }
        : { dataDir: '', primaryServerId: otherServerId };
    case 'service.stop':
    case 'service.start':
    case 'service.restart':
      return { unit };
    case 'wait.check':
      return { check: { probe: 'service-active', unit }, deadlineSeconds: 60, intervalSeconds: 2 };
    case 'command.run':
      return { script: '', expectedExitCodes: [0] };
    case 'sync.pause':
      return { waitSeconds: 120 };
    case 'sync.resume':
      return {};
  }
}

/** A new action step of `kind` on `serverId`. */
export function newActionStep(
  kind: ActionKind,
  group: ServiceGroup,
  serverId: number,
  otherServerId: number,
  serverName: string,
): StepFields {
  return {
    type: 'action',
    kind,
    fields: valuesOf(ACTION_STEP_FIELDS, {
      title: `${kind} on ${serverName}`,
      serverId,
      timeoutSeconds: 60,
      whenUnreachable: 'halt',
    }),
    params: valuesOf(PARAM_FIELDS[kind], actionTemplate(kind, group, serverId, otherServerId)),
  };
}

/** What a step's fields make, before the schema judges it, and the numbers that could not be read. */
export function stepCandidate(
  step: StepFields,
  index: number,
): { candidate: Record<string, unknown>; issues: FieldIssue[] } {
  if (step.type === 'manual') {
    const own = parseValues(MANUAL_FIELDS, step.fields, ['steps', index]);
    return { candidate: { type: 'manual', ...own.value }, issues: own.issues };
  }
  const own = parseValues(ACTION_STEP_FIELDS, step.fields, ['steps', index]);
  const params = parseValues(PARAM_FIELDS[step.kind], step.params, ['steps', index, 'action', 'params']);
  return {
    candidate: { type: 'action', ...own.value, action: { kind: step.kind, params: params.value } },
    issues: [...own.issues, ...params.issues],
  };
}

/** The steps to send, or every problem of every step (paths start with ['steps', index]). */
export function buildSteps(steps: readonly StepFields[]): { steps: RunbookStep[]; issues: FieldIssue[] } {
  const built: RunbookStep[] = [];
  const issues: FieldIssue[] = [];
  steps.forEach((step, index) => {
    const { candidate, issues: typed } = stepCandidate(step, index);
    const parsed = RunbookStep.safeParse(candidate);
    // A field whose text is not a number already has its message; the schema's would repeat it.
    const unreadable = new Set(typed.map((issue) => formatPath(issue.path)));
    issues.push(...typed);
    if (parsed.success) built.push(parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        const path = ['steps', index, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
        if (!unreadable.has(formatPath(path))) issues.push({ path, message: issue.message });
      }
    }
  });
  if (steps.length === 0)
    issues.push({
      path: ['steps'],
      message: RunbookDraft.shape.steps.safeParse([]).error?.issues[0]?.message ?? 'add a step',
    });
  return { steps: built, issues };
}

/** The steps as far as they can be read, invalid ones as typed: what the diff compares. */
export function readableSteps(steps: readonly StepFields[]): unknown[] {
  return steps.map((step, index) => {
    const { candidate } = stepCandidate(step, index);
    const parsed = RunbookStep.safeParse(candidate);
    return parsed.success ? parsed.data : candidate;
  });
}

/** Field key → label for every field of every step, for the error summary's links. */
export function runbookLabels(steps: readonly StepFields[]): Record<string, string> {
  const labels: Record<string, string> = { steps: 'Steps' };
  steps.forEach((step, index) => {
    const key = `steps[${index}]`;
    const name = `Step ${index + 1} `;
    labels[key] = `Step ${index + 1}`;
    if (step.type === 'manual') Object.assign(labels, fieldLabels(MANUAL_FIELDS, step.fields, key, name));
    else {
      Object.assign(labels, fieldLabels(ACTION_STEP_FIELDS, step.fields, key, name));
      Object.assign(labels, fieldLabels(PARAM_FIELDS[step.kind], step.params, `${key}.action.params`, name));
    }
  });
  return labels;
}

export { ACTION_KINDS };
