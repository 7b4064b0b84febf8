/**
 * The plan's stylesheet as the HTML inlines it: the embedded fonts as data: URLs, the print
 * stylesheet from assets/print/plan.css (see embedded-assets.ts), and the page footer rule.
 */
import { cssString } from './escape';
import { PLAN_CSS, PLAN_FONTS } from './embedded-assets';

/** @font-face rules for the embedded fonts: the document looks the same everywhere, offline. */
export function fontFaces(): string {
  return PLAN_FONTS.map(
    (font) => `@font-face{font-family:${cssString(font.family)};font-style:normal;font-weight:${font.weight};font-display:block;src:url(data:font/woff2;base64,${font.base64}) format("woff2")}`,
  ).join('\n');
}

/**
 * The whole stylesheet. With `pageFooter` the print margins carry the revision and page numbers
 * (for printing from a browser); the PDF renderers draw their own header and footer instead.
 */
export function planStylesheet(pageFooter: string | null): string {
  const footer = pageFooter
    ? `@page{@bottom-left{content:${cssString(pageFooter)};font-size:8pt;color:#57606a}@bottom-right{content:"page " counter(page) " of " counter(pages);font-size:8pt;color:#57606a}}`
    : '';
  return `${fontFaces()}\n${PLAN_CSS}${footer}`;
}
