/**
 * A group's steps in one shape for every format: the engine's runbooks where they exist (with the
 * outline's pre-flight checks and verification for the person doing it), else the generated outline.
 */
import { formatMinutes } from '../../shared/logic/recovery-order';
import { PROVISIONAL_NOTE } from './labels';
import type { GroupEntry } from './model';
import type { OutlineStep } from './outline';
import type { PrintedRunbook, PrintedStep } from './runbooks';

export interface PrintBlock {
  /** What the script is for, and where it runs when that is not the step's host. */
  caption: string;
  text: string;
}
export interface PrintStep {
  title: string;
  /** Who does it, and for manual steps how long it takes. */
  who: string;
  /** Where the commands run; null when there are none. */
  where: string | null;
  blocks: PrintBlock[];
  note: string;
}
export interface PrintSection {
  title: string;
  /** Where the steps come from, printed above them. */
  source: string;
  steps: PrintStep[];
  empty: string;
}
export interface PrintedGroup {
  /** True while the steps are the plan's own outline, not what the engine runs. */
  provisional: boolean;
  notice: string;
  sections: PrintSection[];
}

const fromOutline = (step: OutlineStep): PrintStep => ({
  title: step.title,
  who: step.role,
  where: step.where,
  blocks: step.commands.map((text) => ({ caption: '', text })),
  note: step.note,
});

function fromEngine(step: PrintedStep, technician: string): PrintStep {
  if (step.manual) {
    const minutes = step.expectedMinutes === null ? '' : ` · about ${formatMinutes(step.expectedMinutes)}`;
    return {
      title: step.title,
      who: `${step.role.trim() || technician}${minutes}`,
      where: null,
      blocks: [],
      note: step.description,
    };
  }
  const first = step.commands[0];
  return {
    title: step.title,
    who: technician,
    where: first ? `${first.host}${first.address ? ` (${first.address})` : ''}, as root` : null,
    // One script needs no caption: the step's description says what it does.
    blocks: step.commands.map((c) => ({
      caption:
        step.commands.length === 1
          ? ''
          : `${c.purpose}${c.host !== first?.host ? ` · on ${c.host}${c.address ? ` (${c.address})` : ''}` : ''}${c.readOnly ? ' · reads only' : ''}`,
      text: c.script,
    })),
    note: step.description,
  };
}

function runbookSource(runbook: PrintedRunbook): string {
  return runbook.saved
    ? 'The runbook saved in Lifeboat: the exact steps and scripts its failover engine runs.'
    : "No runbook is saved for this move: these are the steps and scripts Lifeboat's failover engine generates from the group's definition and would run. Review them and save the runbook.";
}

/** The sections of steps a group's part of the plan prints. */
export function printedGroup(group: GroupEntry): PrintedGroup {
  const { outline } = group;
  const outlineSteps = (steps: readonly OutlineStep[]) => steps.map(fromOutline);
  if (group.runbooks.length === 0) {
    return {
      provisional: true,
      notice: group.runbookProblem
        ? `${PROVISIONAL_NOTE} (Lifeboat cannot build this group's runbook: ${group.runbookProblem}.)`
        : PROVISIONAL_NOTE,
      sections: [
        { title: 'Pre-flight checks', source: '', steps: outlineSteps(outline.preflight), empty: 'None.' },
        { title: 'Recovery steps', source: '', steps: outlineSteps(outline.steps), empty: 'None.' },
        { title: 'Verification', source: '', steps: outlineSteps(outline.verification), empty: 'None.' },
        {
          title: 'Switchback (when the original server is repaired)',
          source: '',
          steps: outlineSteps(outline.switchback),
          empty: 'Nothing to move back.',
        },
      ],
    };
  }
  const engine = (runbook: PrintedRunbook, title: string): PrintSection => ({
    title,
    source: runbookSource(runbook),
    steps: runbook.steps.map((s) => fromEngine(s, group.technician)),
    empty: 'The runbook has no steps.',
  });
  const failovers = group.runbooks.filter((r) => r.direction === 'failover');
  const switchbacks = group.runbooks.filter((r) => r.direction === 'switchback');
  return {
    provisional: false,
    notice: '',
    sections: [
      {
        title: 'Pre-flight checks',
        source: 'Before the runbook, by hand:',
        steps: outlineSteps(outline.preflight),
        empty: 'None.',
      },
      ...failovers.map((r) =>
        engine(
          r,
          r.from === r.to
            ? `Recovery steps: bring ${r.to} back`
            : `Recovery steps: fail over from ${r.from} to ${r.to}`,
        ),
      ),
      {
        title: 'Verification',
        source: 'After the runbook, by hand:',
        steps: outlineSteps(outline.verification),
        empty: 'None.',
      },
      ...switchbacks.map((r) => engine(r, `Switchback from ${r.from} to ${r.to} (when ${r.to} is repaired)`)),
    ],
  };
}
