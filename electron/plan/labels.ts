/** Small texts every format of the plan prints the same way. */
import type { PlanFormat } from '../../shared/contract/plan';
import type { PlanModel } from './model';

/** The company's name, or a placeholder when none is set. */
export const companyLabel = (company: string): string => company.trim() || 'Company name not set';

/** "2025-06-01 14:03 UTC": unambiguous on paper, whatever the reader's time zone. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** What every printed page carries, in its margins: company, revision and date; the hash; "page N of M". */
export interface PageMarks {
  topLeft: string;
  topRight: string;
  bottomLeft: string;
}

/** The page marks of a plan. */
export function pageMarks(model: Pick<PlanModel, 'meta' | 'content'>): PageMarks {
  return {
    topLeft: `${companyLabel(model.content.company)} · disaster-recovery plan`,
    topRight: `revision ${model.meta.revision} · ${formatDate(model.meta.generatedAt)}`,
    bottomLeft: `sha256 ${model.meta.hash.slice(0, 16)}`,
  };
}

/** The plan's numbered sections: anchor and heading, the same in every format. */
export const SECTIONS = [
  ['use', '1. How to use this plan and when to activate it'],
  ['contacts', '2. Who to call'],
  ['services', '3. Services and their targets'],
  ['order', '4. Recovery order'],
  ['groups', '5. How to recover each service group'],
  ['inventory', '6. Inventory'],
  ['readiness', '7. Readiness, business impact and drills'],
  ['changes', '8. Change log'],
] as const;
export type SectionId = (typeof SECTIONS)[number][0];
/** Section headings by anchor. */
export const SECTION_TITLES = Object.fromEntries(SECTIONS) as Record<SectionId, string>;

/** Printed with every generated outline until runbooks are recorded. */
export const PROVISIONAL_NOTE =
  'No runbook recorded yet; this outline is generated from the group definition. Check it in a drill before relying on it.';

const EXTENSIONS: Record<PlanFormat, string> = { html: 'html', md: 'md', pdf: 'pdf' };

/** "northwind-call-centre-dr-plan-r3.pdf" */
export function planFileName(company: string, revision: number, format: PlanFormat): string {
  const slug =
    company
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'lifeboat';
  return `${slug}-dr-plan-r${revision}.${EXTENSIONS[format]}`;
}

/** A long list of names cut short: "A, B, C and 12 more". */
export function someOf(names: readonly string[], max = 6): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
