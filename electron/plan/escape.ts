/**
 * HTML built so that untrusted text can only ever be text: every value interpolated into the `html`
 * template is escaped unless it is already SafeHtml (made by this template, or by `trusted` for
 * markup this code generated itself, such as the CSS and the escaped SVG).
 */

/** Markup known to be safe. Only this module and `trusted` make it. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escape text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

type Fragment = SafeHtml | string | number | boolean | null | undefined | readonly Fragment[];

function render(value: Fragment): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; arrays are joined; null and booleans vanish. */
export function html(strings: TemplateStringsArray, ...values: Fragment[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** Mark markup this code generated as safe (never user text). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A CSS string literal that cannot end the string, the rule or the <style> element. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r\u2028\u2029]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}
