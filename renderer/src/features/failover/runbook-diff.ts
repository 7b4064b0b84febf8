/**
 * How the runbook being edited differs from the one Lifeboat generates from the group: which steps
 * were added, which were removed, and which were changed (and in which fields). Steps are matched
 * in order by what they are (a manual step by its title, an action by its kind and server), so an
 * action with new parameters or a new title reads as the same step changed, and a step moved
 * elsewhere as removed here and added there. Pure.
 */
import { formatPath } from '../../../../shared/errors';

export type DiffStatus = 'same' | 'changed' | 'added' | 'removed';

export interface StepDiff {
  status: DiffStatus;
  /** Position in the edited runbook (null for a removed step). */
  index: number | null;
  /** Position in the generated runbook (null for an added step). */
  generatedIndex: number | null;
  title: string;
  /** The fields that differ, as paths ("title", "action.params.probeMilliseconds"). */
  changes: string[];
}

type Step = Record<string, unknown>;

const asStep = (step: unknown): Step => (step && typeof step === 'object' ? (step as Step) : {});

/** What makes two steps "the same step": a manual one's title, an action's kind and server. */
function identity(step: Step): string {
  if (step.type === 'manual')
    return `manual:${String(step.title ?? '')
      .trim()
      .toLowerCase()}`;
  const action = asStep(step.action);
  return `action:${String(action.kind)}:${String(step.serverId)}`;
}

/** Every leaf of a value by path, for comparing two steps field by field. */
function leaves(value: unknown, path: (string | number)[] = [], out = new Map<string, string>()): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, [...path, key], out);
  } else out.set(formatPath(path), JSON.stringify(value));
  return out;
}

/** The paths at which two steps differ. */
export function changedFields(before: unknown, after: unknown): string[] {
  const a = leaves(before);
  const b = leaves(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((key) => a.get(key) !== b.get(key)).sort();
}

/** The longest common subsequence of two identity lists, as index pairs. */
function matchInOrder(left: string[], right: string[]): [number, number][] {
  const rows = left.length;
  const cols = right.length;
  const table = Array.from({ length: rows + 1 }, () => new Array<number>(cols + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      table[i][j] = left[i] === right[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < rows && j < cols;) {
    if (left[i] === right[j]) pairs.push([i++, j++]);
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** The edited steps against the generated ones, in the edited order with removed steps where they were. */
export function diffRunbook(generated: readonly unknown[], edited: readonly unknown[]): StepDiff[] {
  const before = generated.map(asStep);
  const after = edited.map(asStep);
  const pairs = matchInOrder(before.map(identity), after.map(identity));
  const out: StepDiff[] = [];
  let g = 0;
  let e = 0;
  const titleOf = (step: Step) => String(step.title ?? '');
  for (const [gi, ei] of [...pairs, [before.length, after.length] as [number, number]]) {
    for (; g < gi; g++)
      out.push({ status: 'removed', index: null, generatedIndex: g, title: titleOf(before[g]), changes: [] });
    for (; e < ei; e++)
      out.push({ status: 'added', index: e, generatedIndex: null, title: titleOf(after[e]), changes: [] });
    if (gi < before.length && ei < after.length) {
      const changes = changedFields(before[gi], after[ei]);
      out.push({
        status: changes.length ? 'changed' : 'same',
        index: ei,
        generatedIndex: gi,
        title: titleOf(after[ei]),
        changes,
      });
      g = gi + 1;
      e = ei + 1;
    }
  }
  return out;
}

/** "2 added, 1 removed, 1 changed", or null when the runbook is the generated one. */
export function diffSummary(diff: readonly StepDiff[]): string | null {
  const count = (status: DiffStatus) => diff.filter((d) => d.status === status).length;
  const parts = (['added', 'removed', 'changed'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`);
  return parts.length ? parts.join(', ') : null;
}
