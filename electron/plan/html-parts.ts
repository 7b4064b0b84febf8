/** Pieces the HTML sections share: badges, phones, tables and the section titles. */
import type { Tier } from '../../shared/domain';
import { formatMinutes } from '../../shared/logic/recovery-order';
import { html, type SafeHtml } from './escape';

export { SECTIONS, SECTION_TITLES, type SectionId } from './labels';

/** A coloured tier label. */
export const tierBadge = (tier: Tier): SafeHtml => html`<span class="tier tier-${tier}">${tier}</span>`;

/** Phone numbers in bold, or a visible "no phone recorded". */
export const phones = (list: readonly string[]): SafeHtml =>
  list.length === 0
    ? html`<span class="muted">no phone recorded</span>`
    : html`${list.map((p, i) => html`${i > 0 ? ', ' : ''}<span class="phone">${p}</span>`)}`;

/** Text keeping its line breaks, or a muted placeholder when empty. */
export const orNone = (text: string | null | undefined, none = '—'): SafeHtml =>
  text && text.trim() ? html`<span class="note">${text}</span>` : html`<span class="muted">${none}</span>`;

/** Minutes as people say them, or a dash. */
export const minutesOrNone = (minutes: number | null): string => (minutes === null ? '—' : formatMinutes(minutes));

/** A table that scrolls sideways on a phone and repeats its head on every printed page. */
export const table = (head: string[], rows: SafeHtml[]): SafeHtml =>
  html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          ${head.map((h) => html`<th>${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
