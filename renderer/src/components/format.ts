/** How numbers of the domain read on screen: minutes as durations, costs per hour. */
import type { Tier } from '../../../shared/domain';
import { formatMinutes as formatDuration } from '../../../shared/logic/recovery-order';

/** 15 → "15 min", 240 → "4 h", 2880 → "2 days" (as the plan words it); null → "—". */
export function formatMinutes(minutes: number | null): string {
  return minutes === null ? '—' : formatDuration(minutes);
}

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** 2500 → "2,500 / h"; null → "—". */
export function formatCostPerHour(cost: number | null): string {
  return cost === null ? '—' : `${numberFormat.format(cost)} / h`;
}

export const TIER_LABEL: Record<Tier, string> = { critical: 'Critical', important: 'Important', routine: 'Routine' };
export const TIER_MEANING: Record<Tier, string> = {
  critical: 'The business stops',
  important: 'The business slows',
  routine: 'Can wait days',
};

/** "a routine service", "an important service". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** "one server", "3 servers". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n === 1 ? 'one' : n} ${n === 1 ? singular : plural}`;
}

/** Split a list typed as text: commas, spaces or new lines separate the entries. */
export function splitList(text: string, separators: RegExp = /[\s,]+/): string[] {
  return text
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A number typed in a field: "" → undefined, anything not a plain decimal → NaN (so the schema says why). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Like parseNumber, but an empty field means "none". */
export function parseOptionalNumber(text: string): number | null {
  return parseNumber(text) ?? null;
}

/** An id chosen in a select ("" for none). */
export function parseId(text: string): number | null {
  return text === '' ? null : Number(text);
}

/** Names listed under a key (an owner, a site, a server), in the order given; entries with no key are left out. */
export function namesBy<T>(
  items: readonly T[],
  entry: (item: T) => readonly (readonly [key: number | null, name: string])[],
): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const item of items) {
    for (const [key, name] of entry(item)) if (key !== null) out.set(key, [...(out.get(key) ?? []), name]);
  }
  return out;
}
